import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { Logger } from 'pino'
import type { Hex, Address as Hex20 } from 'viem'

/** A signed tx's bytes (from the hex it was sent as), sender and hash, recovered off the node's main thread. */
export type RecoveredSender = { raw: Uint8Array; sender: Uint8Array; checksummed: Hex20; hash: Uint8Array }

export type RecoveryWorkerData = { chainId: bigint }
export type RecoveryRequest = { id: number; raws: Hex[] }
export type RecoveryReply = { id: number; recovered: (RecoveredSender | null)[]; cpuMs: number }

/** txs per message: small enough that the pool starts on the first ones while the worker recovers the rest */
const CHUNK = 50

/**
 * The default number of recovery workers: one when the machine has a second core (ecrecover and the tx/address hashes
 * are ~40 % of admission CPU and need no state), none on a single core, where a worker only adds messaging.
 */
export function defaultRecoveryWorkers(): number {
  return availableParallelism() >= 2 ? 1 : 0
}

/**
 * Worker threads that recover the senders of a JSON-RPC batch's raw txs while the pool admits them one by one on the
 * main thread (`TxPool.prefetchSenders`). Recovery is a hint that only saves work: a tx the worker could not recover,
 * or any failure of the workers themselves, falls back to the pool's inline path, whose errors and acknowledgement
 * are unchanged. The workers start with the first batch and take work once loaded (until then, and after a worker
 * died — it is logged, not replaced — senders are recovered inline), so a node that never gets a batch pays nothing.
 */
export class SenderRecovery {
  private readonly workers: Worker[] = []
  private readonly ready: Worker[] = []
  private readonly waiting = new Map<number, (recovered: (RecoveredSender | null)[] | undefined) => void>()
  private readonly workerCpuMs: number[] = []
  private nextId = 0
  private nextWorker = 0
  private started = false

  constructor(
    private readonly chainId: bigint,
    private readonly count: number,
    private readonly log?: Logger,
  ) {}

  /** false once it has no worker left to give work to (or never had one) */
  get enabled(): boolean {
    return this.count > 0 && (!this.started || this.workers.length > 0)
  }

  /** Starts the workers now, resolving once each has loaded or died (the first batch would start them otherwise). */
  async warmUp(): Promise<void> {
    if (!this.started) this.start()
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (this.ready.includes(worker)) return resolve()
            worker.on('message', (reply) => reply === 'ready' && resolve())
            worker.on('exit', () => resolve())
          }),
      ),
    )
  }

  /** CPU ms the workers have used so far (as of their last answers). */
  cpuMs(): number {
    return this.workerCpuMs.reduce((a, b) => a + b, 0)
  }

  /**
   * Starts recovering `raws` (in chunks, round-robin over the loaded workers); each entry resolves to its result, or
   * to undefined when it is to be recovered inline.
   */
  recover(raws: readonly Hex[]): Promise<RecoveredSender | undefined>[] {
    if (!this.started) this.start()
    const results: Promise<RecoveredSender | undefined>[] = []
    for (let start = 0; start < raws.length; start += CHUNK) {
      const chunk = raws.slice(start, start + CHUNK)
      const worker = this.ready[this.nextWorker++ % Math.max(1, this.ready.length)]
      if (!worker) {
        results.push(...chunk.map(() => Promise.resolve(undefined)))
        continue
      }
      const id = this.nextId++
      const answer = new Promise<(RecoveredSender | null)[] | undefined>((resolve) => this.waiting.set(id, resolve))
      worker.postMessage({ id, raws: chunk } satisfies RecoveryRequest)
      for (let i = 0; i < chunk.length; i++) results.push(answer.then((recovered) => recovered?.[i] ?? undefined))
    }
    return results
  }

  async close(): Promise<void> {
    this.started = true
    const workers = this.workers.splice(0)
    this.ready.length = 0
    for (const id of [...this.waiting.keys()]) this.settle(id, undefined)
    await Promise.all(workers.map((worker) => worker.terminate()))
  }

  private start(): void {
    this.started = true
    for (let i = 0; i < this.count; i++) {
      const worker = new Worker(new URL('./sender-recovery-entry.mjs', import.meta.url), {
        workerData: { chainId: this.chainId } satisfies RecoveryWorkerData,
      })
      worker.unref()
      this.workerCpuMs.push(0)
      worker.on('message', (reply: RecoveryReply | 'ready') => {
        if (reply === 'ready') {
          this.ready.push(worker)
          return
        }
        this.workerCpuMs[i] = reply.cpuMs
        this.settle(reply.id, reply.recovered)
      })
      worker.on('error', (err) => this.log?.error({ err }, 'sender recovery worker failed; recovering senders inline'))
      worker.on('exit', () => {
        for (const list of [this.workers, this.ready]) if (list.includes(worker)) list.splice(list.indexOf(worker), 1)
        // what it still had is recovered inline (ids are not tracked per worker: all are, once none is left)
        if (this.workers.length === 0) for (const id of [...this.waiting.keys()]) this.settle(id, undefined)
      })
      this.workers.push(worker)
    }
  }

  private settle(id: number, recovered: (RecoveredSender | null)[] | undefined): void {
    const resolve = this.waiting.get(id)
    this.waiting.delete(id)
    resolve?.(recovered)
  }
}
