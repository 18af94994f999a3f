import { parentPort } from 'node:worker_threads'
import { locateSpansInShards, matchShards } from '../index/query-shard.js'
import { buildShard, type ShardMemory } from '../index/shard.js'
import { encodeShard } from '../index/shard-format.js'
import { runInfluenceTask } from '../influence/influence-task.js'
import { tokenRowKeysOfRows } from '../ingest/row-keys.js'
import type { FromWorker, ToWorker } from './protocol.js'
import type { ShardTask } from './shard-task.js'

/** Shards (and influence models and gradient slices) this worker can use, shared (not copied) from the main thread. */
const shards = new Map<string, unknown>()
const port = parentPort
if (!port) throw new Error('shard-worker must run in a worker thread')
const send = (m: FromWorker) => port.postMessage(m)

function shard(key: string): ShardMemory {
  const s = shards.get(`shard:${key}`) as ShardMemory | undefined
  if (!s) throw new Error(`shard ${key} not loaded in this worker`)
  return s
}

function run(task: ShardTask): unknown {
  switch (task.kind) {
    case 'match':
      return matchShards(task.shards.map(shard), task.tokens)
    case 'locate':
      return locateSpansInShards(task.shards.map(shard), task.tokens, task.spans, task.maxOccurrences)
    case 'build':
      return encodeShard(buildShard(task.rows))
    case 'row-keys':
      return tokenRowKeysOfRows(task.tokens, task.offsets)
    default:
      return runInfluenceTask(task, shards)
  }
}

port.on('message', (m: ToWorker<ShardTask>) => {
  if (m.type === 'shared') shards.set(m.key, m.value)
  else if (m.type === 'unshare') shards.delete(m.key)
  else {
    send({ type: 'started', id: m.id })
    try {
      send({ type: 'result', id: m.id, result: run(m.task) })
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err))
      send({ type: 'error', id: m.id, name: e.name, message: e.message })
    }
  }
})
send({ type: 'ready' })
