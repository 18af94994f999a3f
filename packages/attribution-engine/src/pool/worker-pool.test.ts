import { afterEach, describe, expect, test } from 'vitest'
import { buildShard, ROW_KEY_WORDS, type ShardRowsInput } from '../index/shard.js'
import { seededRandom } from '../planted/random.js'
import { createShardPool } from './create-shard-pool.js'
import { QueueFullError, TaskAbortedError, TaskTimeoutError, WorkerCrashedError } from './errors.js'
import type { ShardTask } from './shard-task.js'
import type { WorkerPool } from './worker-pool.js'

/** A 300k-token random shard: big enough that a long query is still running when we kill its worker. */
function corpus(): { rows: ShardRowsInput; query: Uint32Array } {
  const rand = seededRandom(3)
  const rowsN = 3000
  const tokens = Uint32Array.from({ length: rowsN * 100 }, () => Math.floor(rand() * 5000))
  const query = new Uint32Array(20_000)
  for (let i = 0; i < query.length; i += 50) query.set(tokens.subarray(i * 7, i * 7 + 40), i)
  return {
    rows: {
      tokens,
      offsets: Uint32Array.from({ length: rowsN + 1 }, (_, i) => i * 100),
      rowIds: Uint32Array.from({ length: rowsN }, (_, i) => i),
      rowKeys: new Uint32Array(rowsN * ROW_KEY_WORDS),
    },
    query,
  }
}

const { rows, query } = corpus()
const shard = buildShard(rows)
let pool: WorkerPool<ShardTask> | undefined

afterEach(async () => {
  await pool?.close()
  pool = undefined
})

async function started(size = 1, maxQueue = 16) {
  const p = createShardPool({ size, maxQueue, timeoutMs: 30_000 })
  await p.ready()
  p.share('shard:s', shard)
  pool = p
  return p
}

describe('worker pool', () => {
  test('a worker killed mid-query is respawned and the query completes once with the same result', async () => {
    const p = await started(2)
    const expected = await p.run<Uint32Array>({ kind: 'match', shards: ['s'], tokens: query })
    let kills = 0
    p.on('taskStarted', ({ threadId, attempt }: { threadId: number; attempt: number }) => {
      if (attempt === 1 && kills++ === 0) void p.terminateThread(threadId)
    })
    const before = { ...p.stats }
    const got = await p.run<Uint32Array>({ kind: 'match', shards: ['s'], tokens: query })
    expect(Array.from(got)).toEqual(Array.from(expected))
    expect(p.stats.retries - before.retries).toBe(1)
    expect(p.stats.respawns - before.respawns).toBe(1)
    expect(p.stats.completed - before.completed).toBe(1)
    // the replacement worker got the shard back: it answers a new query correctly
    const again = await Promise.all(
      [0, 1, 2].map(() => p.run<Uint32Array>({ kind: 'match', shards: ['s'], tokens: query })),
    )
    for (const a of again) expect(Array.from(a)).toEqual(Array.from(expected))
  }, 60_000)

  test('a task whose worker dies on the retry too fails with WorkerCrashedError (retried exactly once)', async () => {
    const p = await started(1)
    const attempts: number[] = []
    p.on('taskStarted', ({ threadId, attempt }: { threadId: number; attempt: number }) => {
      attempts.push(attempt)
      void p.terminateThread(threadId)
    })
    await expect(p.run({ kind: 'match', shards: ['s'], tokens: query })).rejects.toBeInstanceOf(WorkerCrashedError)
    expect(attempts).toEqual([1, 2])
  }, 60_000)

  test('timeouts and aborts reject with their own errors and the pool keeps serving', async () => {
    const p = await started(1)
    await expect(p.run({ kind: 'match', shards: ['s'], tokens: query }, { timeoutMs: 1 })).rejects.toBeInstanceOf(
      TaskTimeoutError,
    )
    const controller = new AbortController()
    const pending = p.run({ kind: 'match', shards: ['s'], tokens: query }, { signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toBeInstanceOf(TaskAbortedError)
    const ok = await p.run<Uint32Array>({ kind: 'match', shards: ['s'], tokens: query.subarray(0, 100) })
    expect(ok.length).toBe(100)
    expect(ok[0]).toBeGreaterThan(0)
  }, 60_000)

  test('the queue is bounded and 200 concurrent tasks each settle exactly once, in their own slot', async () => {
    const p = await started(2, 4)
    const small = (i: number) => query.subarray(i * 50, i * 50 + 50)
    // two running + four queued fill the pool; the seventh is refused at once
    const tasks = Array.from({ length: 7 }, (_, i) =>
      p.run<Uint32Array>({ kind: 'match', shards: ['s'], tokens: small(i) }),
    )
    await expect(tasks[6]).rejects.toBeInstanceOf(QueueFullError)
    await Promise.all(tasks.slice(0, 6))
    const big = createShardPool({ size: 2, maxQueue: 500, timeoutMs: 30_000 })
    await big.ready()
    big.share('shard:s', shard)
    try {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => big.run<Uint32Array>({ kind: 'match', shards: ['s'], tokens: small(i) })),
      )
      const reference = await p.run<Uint32Array>({ kind: 'match', shards: ['s'], tokens: small(17) })
      expect(Array.from(results[17]!)).toEqual(Array.from(reference))
      expect(big.stats.completed).toBe(200)
    } finally {
      await big.close()
    }
  }, 60_000)
})
