import { EventEmitter } from 'node:events'
import { Worker } from 'node:worker_threads'
import type { Logger } from 'pino'
import {
  PoolClosedError,
  QueueFullError,
  TaskAbortedError,
  TaskFailedError,
  TaskTimeoutError,
  WorkerCrashedError,
} from './errors.js'
import type { FromWorker, ToWorker } from './protocol.js'

export type PoolOptions = {
  /** module the workers run; it must answer the protocol in protocol.ts */
  workerUrl: URL
  size: number
  /** tasks waiting for a worker; more are refused with QueueFullError */
  maxQueue: number
  timeoutMs: number
  log?: Logger
}

export type RunOptions = { signal?: AbortSignal; timeoutMs?: number }

type Pending<T> = {
  id: number
  task: T
  attempts: number
  resolve: (v: unknown) => void
  reject: (e: Error) => void
  settled: boolean
  slot?: Slot<T>
  timer?: NodeJS.Timeout
  cleanup?: () => void
}

type Slot<T> = { worker: Worker; ready: boolean; task?: Pending<T>; retiring?: boolean }

export type PoolStats = {
  completed: number
  failed: number
  retries: number
  respawns: number
  timeouts: number
  aborted: number
  queued: number
  running: number
}

/**
 * A fixed set of worker threads with a bounded FIFO queue. Every task has an id and settles exactly once:
 * a result from a worker that no longer owns the task is dropped. A worker that dies while running a task is
 * replaced and the task retried once on a fresh worker; a second death fails it with WorkerCrashedError.
 * Timeouts and aborts of a running task terminate its worker (a synchronous computation cannot be interrupted
 * otherwise) and are not retried. State set with `share` is replayed to every replacement worker.
 */
export class WorkerPool<T> extends EventEmitter {
  private readonly slots: Slot<T>[] = []
  private readonly queue: Pending<T>[] = []
  private readonly shared = new Map<string, unknown>()
  private nextId = 1
  private closed = false
  readonly stats: PoolStats = {
    completed: 0,
    failed: 0,
    retries: 0,
    respawns: 0,
    timeouts: 0,
    aborted: 0,
    queued: 0,
    running: 0,
  }

  constructor(private readonly options: PoolOptions) {
    super()
    for (let i = 0; i < options.size; i++) this.slots.push(this.spawn())
  }

  /** Resolves once every worker has loaded its module. */
  async ready(): Promise<void> {
    await Promise.all(
      this.slots.map((s) =>
        s.ready ? undefined : new Promise<void>((r) => this.once(`ready:${s.worker.threadId}`, r)),
      ),
    )
  }

  /** Sends `value` to every worker now and to every replacement later (shards in shared memory). */
  share(key: string, value: unknown): void {
    this.shared.set(key, value)
    for (const s of this.slots) this.post(s, { type: 'shared', key, value })
  }

  unshare(key: string): void {
    this.shared.delete(key)
    for (const s of this.slots) this.post(s, { type: 'unshare', key })
  }

  run<R>(task: T, options: RunOptions = {}): Promise<R> {
    if (this.closed) return Promise.reject(new PoolClosedError('pool is closed'))
    if (options.signal?.aborted) return Promise.reject(new TaskAbortedError('task aborted before start'))
    if (this.queue.length >= this.options.maxQueue)
      return Promise.reject(new QueueFullError('task queue is full', { maxQueue: this.options.maxQueue }))
    return new Promise<R>((resolve, reject) => {
      const p: Pending<T> = {
        id: this.nextId++,
        task,
        attempts: 0,
        resolve: resolve as (v: unknown) => void,
        reject,
        settled: false,
      }
      const timeoutMs = options.timeoutMs ?? this.options.timeoutMs
      p.timer = setTimeout(() => {
        this.stats.timeouts++
        this.cancel(p, new TaskTimeoutError('task timed out', { taskId: p.id, timeoutMs }))
      }, timeoutMs)
      if (options.signal) {
        const signal = options.signal
        const onAbort = () => {
          this.stats.aborted++
          this.cancel(p, new TaskAbortedError('task aborted', { taskId: p.id }))
        }
        signal.addEventListener('abort', onAbort, { once: true })
        p.cleanup = () => signal.removeEventListener('abort', onAbort)
      }
      this.queue.push(p)
      this.stats.queued = this.queue.length
      this.dispatch()
    })
  }

  /** Ends one worker as a crash would (operators and tests); its running task is retried once. */
  async terminateThread(threadId: number): Promise<void> {
    const slot = this.slots.find((s) => s.worker.threadId === threadId)
    if (slot) await slot.worker.terminate()
  }

  get threadIds(): number[] {
    return this.slots.map((s) => s.worker.threadId)
  }

  async close(): Promise<void> {
    this.closed = true
    for (const p of this.queue.splice(0)) this.settle(p, new PoolClosedError('pool closed'))
    await Promise.all(
      this.slots.map((s) => {
        s.retiring = true
        if (s.task) this.settle(s.task, new PoolClosedError('pool closed'))
        return s.worker.terminate()
      }),
    )
  }

  private spawn(): Slot<T> {
    const worker = new Worker(this.options.workerUrl)
    const slot: Slot<T> = { worker, ready: false }
    worker.on('message', (m: FromWorker) => this.onMessage(slot, m))
    worker.on('error', (err) => this.options.log?.error({ err, threadId: worker.threadId }, 'worker error'))
    worker.on('exit', (code) => this.onExit(slot, code))
    for (const [key, value] of this.shared) this.post(slot, { type: 'shared', key, value })
    return slot
  }

  private post(slot: Slot<T>, msg: ToWorker<T>): void {
    try {
      slot.worker.postMessage(msg)
    } catch (err) {
      // a worker that is exiting refuses messages; its exit handler deals with the task
      this.options.log?.warn({ err, threadId: slot.worker.threadId }, 'post to exiting worker')
    }
  }

  private onMessage(slot: Slot<T>, m: FromWorker): void {
    if (m.type === 'ready') {
      slot.ready = true
      this.emit(`ready:${slot.worker.threadId}`)
      this.dispatch()
      return
    }
    const p = slot.task
    if (!p || p.id !== m.id) return
    if (m.type === 'started') {
      this.emit('taskStarted', { taskId: p.id, attempt: p.attempts, threadId: slot.worker.threadId })
      return
    }
    slot.task = undefined
    this.stats.running--
    if (m.type === 'result') {
      this.stats.completed++
      this.settle(p, undefined, m.result)
    } else {
      this.stats.failed++
      this.settle(p, new TaskFailedError(m.message, { taskId: p.id, cause: m.name }))
    }
    this.dispatch()
  }

  private onExit(slot: Slot<T>, code: number): void {
    const i = this.slots.indexOf(slot)
    const p = slot.task
    slot.task = undefined
    if (p) this.stats.running--
    if (this.closed) return
    if (!slot.retiring) this.options.log?.warn({ threadId: slot.worker.threadId, code }, 'worker died')
    if (i >= 0) {
      this.slots[i] = this.spawn()
      this.stats.respawns++
    }
    if (p && !p.settled) {
      if (p.attempts < 2) {
        this.stats.retries++
        this.queue.unshift(p)
      } else {
        this.stats.failed++
        this.settle(p, new WorkerCrashedError('worker crashed twice running the task', { taskId: p.id, code }))
      }
    }
    this.dispatch()
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) break
      if (!slot.ready || slot.task || slot.retiring) continue
      const p = this.queue.shift()!
      p.attempts++
      p.slot = slot
      slot.task = p
      this.stats.running++
      // tasks are copied, never transferred, so a retry can send the same input again
      this.post(slot, { type: 'task', id: p.id, task: p.task })
    }
    this.stats.queued = this.queue.length
  }

  private cancel(p: Pending<T>, err: Error): void {
    if (p.settled) return
    const q = this.queue.indexOf(p)
    if (q >= 0) this.queue.splice(q, 1)
    const slot = p.slot
    if (slot && slot.task === p) {
      slot.retiring = true
      slot.task = undefined
      this.stats.running--
      void slot.worker.terminate()
    }
    this.settle(p, err)
  }

  private settle(p: Pending<T>, err?: Error, result?: unknown): void {
    if (p.settled) return
    p.settled = true
    clearTimeout(p.timer)
    p.cleanup?.()
    if (err) p.reject(err)
    else p.resolve(result)
  }
}
