import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { maxSequencerDrift, type RollupConfig, type SystemConfig } from '@opl/protocol'
import type { Logger } from 'pino'
import { bytesToHex, type Hex } from 'viem'
import type { BlockBuilder, SealedBlock } from '../engine/block-builder.js'
import type { Engine } from '../engine/engine.js'
import { BlockBuildError, InvalidTransactionError } from '../engine/errors.js'
import { depositTx } from '../engine/transactions.js'
import { ConfDepthL1Source } from '../l1/conf-depth.js'
import { CriticalError, L1ReorgError, type NodeError, severityOf, TemporaryError } from '../l1/errors.js'
import type { L1Source } from '../l1/l1-source.js'
import type { L1Tracker } from '../l1/l1-tracker.js'
import { formatRef, type L1BlockInfo, type L1BlockRef } from '../l1/types.js'
import type { BlockSink, L1BlockRef as JsonL1BlockRef, SequencerControl, TxSource } from '../sequencer-ports.js'
import { prepareAttributes } from './attributes.js'
import { blobBaseFeeUpdateFraction, SequencerConfig, type SequencerConfigInput } from './config.js'
import { SequencerStateError } from './errors.js'
import { type L2Block, type L2BlockRef, l2BlockRefOf, systemConfigOf } from './l2-block-ref.js'
import { OriginSelector } from './origin-selector.js'

export type SequencerParameters = {
  rollup: RollupConfig
  config?: SequencerConfigInput
  engine: Engine
  /** the raw L1; the sequencer applies its confirmation depth on top */
  l1: L1Source
  /** polls L1 head/safe/finalized; the node starts it (the conf-depth view and optimism_syncStatus read it) */
  l1Tracker: L1Tracker
  txSource: TxSource
  blockSink: BlockSink
  /** the engine's head block with its txs (from the store); needed on start when the head is not genesis */
  readHead?: () => Promise<L2Block>
  log?: Logger
  /** wall clock in ms (tests may pin it) */
  now?: () => number
  /** called once when a critical error stopped the sequencer */
  onCritical?: (error: Error) => void
}

/** One block the sequencer produced. */
export type SequencedBlock = {
  block: SealedBlock
  ref: L2BlockRef
  origin: L1BlockRef
  /** past the sequencer drift: only deposits were included */
  noTxPool: boolean
  /** user deposits (the L1-info deposit not counted) */
  userDeposits: number
  poolTxs: number
  rejectedTxs: number
}

type Head = { ref: L2BlockRef; systemConfig: SystemConfig }

/** Gas of the cheapest tx: below it no pool tx can fit. */
const MIN_TX_GAS = 21_000n

/**
 * The sequencer (op-node `sequencing/sequencer.go`, without the engine API in between): every `block_time` it picks
 * the L1 origin, prepares the attributes (L1-info deposit, the epoch's user deposits, the SystemConfig gas limit),
 * builds the block on the engine with pool txs after the deposits, hands it to the block sink (durable before it
 * returns) and tells the pool what was included.
 *
 * Stateless across restarts: the epoch, sequence number and SystemConfig of the head are read back from the head
 * block's L1-info tx and header, as op-node does.
 *
 * Errors: temporary (L1 unreachable) → nothing is committed, retry after `retryDelayMs`; reset (origin reorged out) →
 * caches dropped, retry — the L2 head built on the old origin is not extended until it is consistent again (rewinding
 * it is the node's job); critical (undecodable deposits, invalid head) → the sequencer stops and reports.
 */
export class Sequencer implements SequencerControl {
  readonly config: SequencerConfig
  private readonly rollup: RollupConfig
  private readonly engine: Engine
  private readonly l1: L1Source
  private readonly tracker: L1Tracker
  private readonly selector: OriginSelector
  private readonly txSource: TxSource
  private readonly sink: BlockSink
  private readonly readHead: (() => Promise<L2Block>) | undefined
  private readonly log: Logger | undefined
  private readonly now: () => number
  private readonly onCritical: ((error: Error) => void) | undefined
  private head: Head | undefined
  private origin: L1BlockInfo | undefined
  private lock: Promise<unknown> = Promise.resolve()
  private loop: { done: Promise<void>; abort: AbortController } | undefined

  constructor(parameters: SequencerParameters) {
    this.config = SequencerConfig.parse(parameters.config ?? {})
    this.rollup = parameters.rollup
    this.engine = parameters.engine
    this.tracker = parameters.l1Tracker
    this.l1 = new ConfDepthL1Source(parameters.l1, this.config.l1ConfDepth, () => this.tracker.head)
    this.selector = new OriginSelector(this.rollup, this.l1, parameters.log)
    this.txSource = parameters.txSource
    this.sink = parameters.blockSink
    this.readHead = parameters.readHead
    this.log = parameters.log
    this.now = parameters.now ?? Date.now
    this.onCritical = parameters.onCritical
  }

  /** The L2 head the sequencer builds on, once known. */
  get headRef(): L2BlockRef | undefined {
    return this.head?.ref
  }

  /** Builds, commits and returns the next block now, whatever the clock says (the loop decides when). */
  buildNext(): Promise<SequencedBlock> {
    const run = this.lock.then(() => this.build())
    this.lock = run.catch(() => {})
    return run
  }

  async start(unsafeHead?: Hex): Promise<void> {
    if (this.active()) throw new SequencerStateError('sequencer already running')
    await this.loop?.done // stopped by a critical error: the old loop has ended
    this.loop = undefined
    const head = await this.syncHead()
    if (unsafeHead !== undefined && unsafeHead.toLowerCase() !== head.ref.hash.toLowerCase()) {
      throw new SequencerStateError(`block hash does not match: head ${head.ref.hash}, received ${unsafeHead}`)
    }
    const abort = new AbortController()
    this.loop = { abort, done: this.run(abort.signal) }
    this.log?.info({ event: 'sequencer_started', head: head.ref.hash, number: head.ref.number }, 'sequencer started')
  }

  async stop(): Promise<Hex> {
    const loop = this.loop
    if (!loop || !this.active()) throw new SequencerStateError('sequencer not running')
    loop.abort.abort()
    await loop.done
    this.loop = undefined
    const hash = this.head?.ref.hash ?? bytesToHex(this.engine.head.hash())
    this.log?.info({ event: 'sequencer_stopped', head: hash }, 'sequencer stopped')
    return hash
  }

  active(): boolean {
    return this.loop !== undefined && !this.loop.abort.signal.aborted
  }

  l1Status(): { current?: JsonL1BlockRef; head?: JsonL1BlockRef; safe?: JsonL1BlockRef; finalized?: JsonL1BlockRef } {
    const { head, safe, finalized } = this.tracker.status
    return {
      ...(this.origin && { current: jsonRef(this.origin) }),
      ...(head && { head: jsonRef(head) }),
      ...(safe && { safe: jsonRef(safe) }),
      ...(finalized && { finalized: jsonRef(finalized) }),
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let delay = 0
      try {
        const head = await this.syncHead()
        delay = Number(head.ref.timestamp + this.rollup.blockTime) * 1000 - this.now()
        if (delay <= 0) await this.buildNext()
      } catch (error) {
        delay = this.onError(error as Error)
        if (delay < 0) {
          this.loop?.abort.abort()
          break
        }
      }
      if (delay > 0) await sleep(delay, signal)
      else await yieldToEventLoop()
    }
  }

  /** Logs and classifies; the delay before the next attempt, or -1 to stop. */
  private onError(error: Error): number {
    const severity = severityOf(error)
    const details = (error as Partial<NodeError>).details
    if (severity === 'temporary') {
      this.log?.warn({ event: 'sequencer_retry', err: error.message, details }, 'temporary error; retrying')
      return this.config.retryDelayMs
    }
    if (severity === 'reset') {
      this.log?.error({ event: 'sequencer_reset', err: error.message, details }, 'L1 changed under the sequencer')
      this.selector.reset()
      this.head = undefined
      this.origin = undefined
      return this.config.retryDelayMs
    }
    this.log?.fatal({ event: 'sequencer_critical', err: error.message, details }, 'sequencer stopped')
    this.onCritical?.(error)
    return -1
  }

  private async build(): Promise<SequencedBlock> {
    const head = await this.syncHead()
    // The conf-depth view needs a recent L1 head: poll it here unless the node runs the tracker in the background
    // (a failed poll keeps the last head; with none at all this is a temporary error).
    if (this.config.l1ConfDepth > 0n && (!this.tracker.running || this.tracker.head === undefined)) {
      await this.tracker.poll().catch((error: unknown) => {
        if (this.tracker.head === undefined) throw error
      })
    }
    const origin = await this.selector.findL1Origin(head.ref)
    // op-node: an origin that neither is nor extends the head's origin means L1 reorged under us.
    if (origin.hash !== head.ref.l1Origin.hash && origin.parentHash !== head.ref.l1Origin.hash) {
      throw new L1ReorgError('next L1 origin does not extend the L2 head origin', {
        origin: formatRef(origin),
        headOrigin: formatRef(head.ref.l1Origin),
      })
    }
    const prepared = await prepareAttributes({
      config: this.rollup,
      l1: this.l1,
      parent: head.ref,
      parentSystemConfig: head.systemConfig,
      origin,
      blobBaseFeeUpdateFraction: blobBaseFeeUpdateFraction(this.config),
    })
    const timestamp = prepared.attributes.timestamp
    // Past the drift only deposits may go in (op-node sets NoTxPool; batches with txs there would be dropped).
    const noTxPool = timestamp > origin.timestamp + maxSequencerDrift(this.rollup, origin.timestamp)

    const builder = await this.engine.startBlock(prepared.attributes)
    let block: SealedBlock
    let counts = { poolTxs: 0, rejectedTxs: 0 }
    try {
      for (const deposit of prepared.deposits) await builder.add(depositTx(deposit))
      if (!noTxPool) counts = await this.addPoolTxs(builder)
      block = await builder.seal()
    } catch (error) {
      await this.engine.abandon()
      if (error instanceof BlockBuildError) {
        throw new CriticalError(`cannot build the block: ${error.message}`, error.details, { cause: error })
      }
      throw error
    }
    try {
      await this.sink.commitBlock(block)
    } catch (error) {
      await this.engine.abandon()
      throw new TemporaryError(`block sink failed: ${(error as Error).message}`, {}, { cause: error })
    }
    this.txSource.markIncluded(block.transactions)

    const ref: L2BlockRef = {
      hash: bytesToHex(block.hash),
      number: block.header.number,
      parentHash: head.ref.hash,
      timestamp,
      l1Origin: { hash: origin.hash, number: origin.number },
      sequenceNumber: prepared.sequenceNumber,
    }
    this.head = { ref, systemConfig: systemConfigOf(this.rollup, block) }
    this.origin = origin
    const userDeposits = prepared.deposits.length - 1
    this.log?.info(
      {
        event: 'block_sealed',
        number: ref.number,
        hash: ref.hash,
        origin: formatRef(origin),
        seq: ref.sequenceNumber,
        txs: block.transactions.length,
        deposits: userDeposits,
        rejected: counts.rejectedTxs,
        gasUsed: block.header.gasUsed,
        gasLimit: block.header.gasLimit,
        noTxPool,
        configUpdates: prepared.configUpdates.map((update) => update.type),
      },
      'sealed L2 block',
    )
    return { block, ref, origin, noTxPool, userDeposits, ...counts }
  }

  /** Pool txs after the deposits, until the gas, count or time budget runs out. */
  private async addPoolTxs(builder: BlockBuilder): Promise<{ poolTxs: number; rejectedTxs: number }> {
    const deadline = this.now() + this.config.maxBuildMs
    let poolTxs = 0
    let rejectedTxs = 0
    const pending = this.txSource.pending({ gasLimit: builder.gasRemaining, baseFee: builder.baseFeePerGas })
    for (const tx of pending) {
      if (tx.kind === 'deposit') continue // never from the pool (ports contract); skip rather than break the block
      try {
        await builder.add(tx)
        poolTxs++
      } catch (error) {
        if (!(error instanceof InvalidTransactionError)) throw error
        this.txSource.markRejected(tx, error.reason)
        rejectedTxs++
      }
      if (
        builder.gasRemaining < MIN_TX_GAS ||
        poolTxs + rejectedTxs >= this.config.maxTxsPerBlock ||
        this.now() >= deadline
      ) {
        break
      }
    }
    return { poolTxs, rejectedTxs }
  }

  /** The head as the engine has it; read back from the head block when it moved without us (start, restart). */
  private async syncHead(): Promise<Head> {
    const header = this.engine.head
    const hash = bytesToHex(header.hash())
    if (this.head?.ref.hash === hash) return this.head
    let block: L2Block
    if (header.number === this.engine.genesis.number) block = { header, transactions: [] }
    else if (this.readHead) block = await this.readHead()
    else throw new CriticalError('the engine head is not genesis and no readHead was given', { head: hash })
    const blockHash = bytesToHex(block.header.hash())
    if (blockHash !== hash) {
      throw new CriticalError('readHead returned another block than the engine head', { head: hash, read: blockHash })
    }
    this.head = { ref: l2BlockRefOf(this.rollup, block), systemConfig: systemConfigOf(this.rollup, block) }
    this.log?.info(
      {
        event: 'sequencer_head',
        number: this.head.ref.number,
        hash,
        origin: formatRef(this.head.ref.l1Origin),
        seq: this.head.ref.sequenceNumber,
      },
      'sequencer head loaded',
    )
    return this.head
  }
}

/** An L1 ref as optimism_syncStatus reports it (JSON numbers). */
export function jsonRef(ref: L1BlockRef): JsonL1BlockRef {
  return { hash: ref.hash, number: Number(ref.number), parentHash: ref.parentHash, timestamp: Number(ref.timestamp) }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
  })
}
