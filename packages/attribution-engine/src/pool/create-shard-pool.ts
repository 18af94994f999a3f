import type { Logger } from 'pino'
import type { ShardTask } from './shard-task.js'
import { WorkerPool } from './worker-pool.js'

export const SHARD_WORKER_URL = new URL('./shard-worker-entry.mjs', import.meta.url)

export function createShardPool(options: {
  size: number
  maxQueue?: number
  timeoutMs?: number
  log?: Logger
}): WorkerPool<ShardTask> {
  return new WorkerPool<ShardTask>({
    workerUrl: SHARD_WORKER_URL,
    size: options.size,
    maxQueue: options.maxQueue ?? 1024,
    timeoutMs: options.timeoutMs ?? 10_000,
    log: options.log,
  })
}
