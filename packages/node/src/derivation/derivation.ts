import { setTimeout as sleep } from 'node:timers/promises'
import type { Common } from '@ethereumjs/common'
import type { RollupConfig } from '@opl/protocol'
import type { Logger } from 'pino'
import { bytesToHex } from 'viem'
import { severityOf } from '../l1/errors.js'
import type { L1Source } from '../l1/l1-source.js'
import { formatRef, type L1BlockRef, toBlockRef } from '../l1/types.js'
import type { L2BlockRef } from '../sequencer/l2-block-ref.js'
import { AttributesQueue } from './attributes-queue.js'
import { BatchQueue, type DroppedBatch } from './batch-queue.js'
import { ChannelBank, type ChannelBankEvent } from './channel-bank.js'
import { ChannelReader } from './channel-reader.js'
import type { DaSource } from './da-source.js'
import type { SkippedData } from './data-source.js'
import { EngineQueue, type SafeBlockDecision } from './engine-queue.js'
import { EndOfData, NotEnoughData } from './errors.js'
import { Finalizer } from './finality.js'
import { FrameQueue } from './frame-queue.js'
import { L1Retrieval } from './l1-retrieval.js'
import type { L1TransactionSource } from './l1-transactions.js'
import { L1Traversal } from './l1-traversal.js'
import { findResetPoint } from './sync-start.js'
import type { DerivationChain } from './types.js'

export type DerivationParameters = {
  rollup: RollupConfig
  l1: L1Source
  l1Transactions: L1TransactionSource
  /** required when rollup.json has `alt_da` */
  da?: DaSource | undefined
  chain: DerivationChain
  /** the engine's Common, to decode batch txs exactly as the engine does */
  common: Common
  /** must equal the sequencer's (`blobBaseFeeUpdateFraction(SequencerConfig)`), or L1-info txs differ */
  blobBaseFeeUpdateFraction: bigint
  /** persisted heads from a previous run; genesis when absent */
  safe?: L2BlockRef | undefined
  finalized?: L2BlockRef | undefined
  log?: Logger | undefined
  /** wait after a temporary error, ms */
  retryDelayMs?: number | undefined
  /** wait when at the L1 head, ms */
  idleDelayMs?: number | undefined
  /** tests: MAX_CHANNEL_BANK_SIZE override */
  maxChannelBankSize?: number | undefined
}

/** Everything derivation reports; all optional. One call per event, after the state changed. */
export type DerivationEvents = {
  /** the safe head moved (once per span batch, or per singular batch) */
  safe?: (ref: L2BlockRef, derivedFrom: L1BlockRef) => void
  /** every derived block, with how it got in (consolidated / built / reorged / dropped) */
  derived?: (decision: SafeBlockDecision) => void
  finalized?: (ref: L2BlockRef, finalizedL1: L1BlockRef) => void
  /** the pipeline moved to the next L1 block */
  origin?: (origin: L1BlockRef) => void
  /** everything up to the L1 head is derived (traversal found no next block); called on every idle step */
  idle?: (origin: L1BlockRef) => void
  reset?: (info: { reason: string; safe: L2BlockRef; origin: L1BlockRef }) => void
  droppedBatch?: (dropped: DroppedBatch) => void
  /** batcher data dropped before it became a batch (bad sender, bad frames, bad commitment, unreadable channel) */
  droppedData?: (reason: string) => void
  channel?: (event: ChannelBankEvent) => void
  temporary?: (error: Error) => void
  critical?: (error: Error) => void
}

export type StepResult = 'progress' | 'idle' | 'retry' | 'stopped'

/**
 * The derivation driver (op-node `DerivationPipeline` + driver): steps the stages, applies derived blocks through the
 * engine queue, and handles every error class in one place — temporary: retry later; reset: find a common ancestor
 * with L1 and restart the stages there; critical: stop and report.
 *
 * How the node wires it: implement `DerivationChain` over the store + engine, create one `Derivation` with the L1
 * source (a `ConfDepthL1Source` if the verifier should lag L1), `ViemL1TransactionSource`, `HttpDaSource` and the
 * persisted safe/finalized heads, call `start()`, and read `safeHead`, `finalizedHead`, `currentL1` and
 * `finalizedL1` for `optimism_syncStatus`. In sequencer mode the same instance consolidates the sequencer's blocks.
 */
export class Derivation {
  readonly events: DerivationEvents = {}
  private readonly p: DerivationParameters
  private readonly log: Logger | undefined
  private readonly traversal: L1Traversal
  private readonly stages: { reset(base: L1BlockRef, systemConfig: import('@opl/protocol').SystemConfig): void }[]
  private readonly attributes: AttributesQueue
  private readonly engineQueue: EngineQueue
  private readonly finalizer: Finalizer
  private safe: L2BlockRef
  private pendingSafe: L2BlockRef
  private lastFinalizedL1: L1BlockRef | undefined
  private resetReason: string | undefined = 'start'
  private running = false
  private loop: Promise<void> | undefined
  private stoppedBy: Error | undefined

  constructor(parameters: DerivationParameters) {
    const p = parameters
    this.p = p
    this.log = p.log
    const genesis = genesisRef(p.rollup)
    this.safe = p.safe ?? genesis
    this.pendingSafe = this.safe
    this.finalizer = new Finalizer(p.finalized ?? genesis, p.l1, p.log)
    this.traversal = new L1Traversal(p.rollup, p.l1, p.log)
    const dropData = (reason: string) => this.events.droppedData?.(reason)
    const retrieval = new L1Retrieval(this.traversal, {
      rollup: p.rollup,
      l1: p.l1,
      transactions: p.l1Transactions,
      da: p.da,
      log: p.log,
      onSkip: (skipped: SkippedData) => dropData(skipped.reason),
    })
    const frames = new FrameQueue(retrieval, p.log, dropData)
    const bank = new ChannelBank(p.rollup, frames, p.log, (event) => this.events.channel?.(event), p.maxChannelBankSize)
    const reader = new ChannelReader(p.rollup, bank, p.log, dropData)
    const batches = new BatchQueue(p.rollup, reader, p.chain, p.log, (dropped) => this.events.droppedBatch?.(dropped))
    this.attributes = new AttributesQueue({
      rollup: p.rollup,
      l1: p.l1,
      chain: p.chain,
      batches,
      common: p.common,
      blobBaseFeeUpdateFraction: p.blobBaseFeeUpdateFraction,
      log: p.log,
    })
    this.engineQueue = new EngineQueue(p.rollup, p.chain, p.log)
    this.stages = [this.traversal, retrieval, frames, bank, reader, batches, this.attributes]
  }

  /** The last L2 block derived from L1 (end of a span batch). */
  get safeHead(): L2BlockRef {
    return this.safe
  }

  /** The last L2 block derived, possibly inside a span batch. */
  get pendingSafeHead(): L2BlockRef {
    return this.pendingSafe
  }

  get finalizedHead(): L2BlockRef {
    return this.finalizer.finalized
  }

  /** The L1 block the pipeline is reading (op-node `current_l1`); undefined before the first reset. */
  get currentL1(): L1BlockRef | undefined {
    return this.resetReason === 'start' ? undefined : this.traversal.origin
  }

  /** The last L1 `finalized` block seen. */
  get finalizedL1(): L1BlockRef | undefined {
    return this.lastFinalizedL1
  }

  /** The error that stopped derivation, if a critical one did. */
  get criticalError(): Error | undefined {
    return this.stoppedBy
  }

  /** Runs in the background until `stop()` or a critical error. */
  start(): void {
    if (this.running) return
    this.running = true
    this.stoppedBy = undefined
    this.loop = this.run()
  }

  async stop(): Promise<void> {
    this.running = false
    await this.loop
  }

  private async run(): Promise<void> {
    while (this.running) {
      const result = await this.runOnce()
      if (result === 'stopped') break
      if (result === 'idle') await sleep(this.p.idleDelayMs ?? 1_000)
      if (result === 'retry') await sleep(this.p.retryDelayMs ?? 1_000)
    }
    this.running = false
  }

  /**
   * Steps until the pipeline is idle at the L1 head, a temporary error asks to retry later, or `maxSteps` ran out
   * (tests and benches; the node uses `start()`). A critical error is thrown.
   */
  async syncUntilIdle(maxSteps = 1_000_000): Promise<StepResult> {
    for (let i = 0; i < maxSteps; i++) {
      const result = await this.runOnce()
      if (result === 'stopped') throw this.stoppedBy
      if (result !== 'progress') return result
    }
    return 'progress'
  }

  /** One step with the error handling: the only place errors are classified. */
  async runOnce(): Promise<StepResult> {
    if (this.stoppedBy) return 'stopped'
    try {
      return await this.step()
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error))
      switch (severityOf(err)) {
        case 'temporary':
          this.log?.warn({ err: err.message, name: err.name }, 'derivation: temporary error, retrying')
          this.events.temporary?.(err)
          return 'retry'
        case 'reset':
          this.log?.warn({ err: err.message, name: err.name }, 'derivation: reset')
          this.resetReason = err.message
          return 'progress'
        default:
          this.log?.error({ err: err.message, name: err.name }, 'derivation: critical error, stopped')
          this.stoppedBy = err
          this.running = false
          this.events.critical?.(err)
          return 'stopped'
      }
    }
  }

  private async step(): Promise<StepResult> {
    if (this.resetReason !== undefined) {
      await this.reset(this.resetReason)
      return 'progress'
    }
    try {
      const derived = await this.attributes.nextAttributes(this.pendingSafe, () => this.traversal.origin)
      const decision = await this.engineQueue.apply(derived)
      this.events.derived?.(decision)
      if (decision.kind === 'dropped') return 'progress'
      this.pendingSafe = decision.ref
      if (derived.isLastInSpan) await this.promoteSafe(decision.ref, derived.derivedFrom)
      return 'progress'
    } catch (error) {
      if (error instanceof NotEnoughData) return 'progress'
      if (!(error instanceof EndOfData)) throw error
    }
    try {
      await this.traversal.advance()
    } catch (error) {
      if (!(error instanceof EndOfData)) throw error
      await this.updateFinality()
      this.events.idle?.(this.traversal.origin)
      return 'idle'
    }
    this.log?.debug({ origin: formatRef(this.traversal.origin) }, 'derivation: next L1 block')
    this.events.origin?.(this.traversal.origin)
    await this.updateFinality()
    return 'progress'
  }

  private async promoteSafe(ref: L2BlockRef, derivedFrom: L1BlockRef): Promise<void> {
    this.safe = ref
    this.finalizer.onSafe(ref, derivedFrom)
    await this.p.chain.updateForkchoice({ safe: ref, finalized: this.finalizer.finalized })
    await this.p.chain.saveSafeOrigin?.({ safe: ref, derivedFrom })
    this.log?.debug({ safe: formatRef(ref), l1: formatRef(derivedFrom) }, 'derivation: safe head')
    this.events.safe?.(ref, derivedFrom)
  }

  private async loadSafeOrigin(): Promise<void> {
    await seedFromRecord(this.p.chain, this.safe, this.finalizer, this.log)
  }

  private async updateFinality(): Promise<void> {
    const finalized = await this.p.l1.blockByTag('finalized')
    if (!finalized) return
    // Run even when L1 finality did not move: blocks derived since may now be final.
    this.lastFinalizedL1 = toBlockRef(finalized)
    const moved = await this.finalizer.update(this.lastFinalizedL1)
    if (!moved) return
    await this.p.chain.updateForkchoice({ safe: this.safe, finalized: moved })
    this.events.finalized?.(moved, this.lastFinalizedL1)
  }

  private async reset(reason: string): Promise<void> {
    if (this.resetReason === 'start') await this.loadSafeOrigin()
    const point = await findResetPoint({
      rollup: this.p.rollup,
      l1: this.p.l1,
      chain: this.p.chain,
      safe: this.safe,
      derivedFrom: (l2) => this.finalizer.derivedFrom(l2),
    })
    for (const stage of this.stages) stage.reset(point.origin, point.systemConfig)
    this.safe = point.safe
    this.pendingSafe = point.safe
    this.finalizer.reset(point.safe)
    this.resetReason = undefined
    await this.p.chain.updateForkchoice({ safe: point.safe, finalized: this.finalizer.finalized })
    this.log?.info(
      { reason, safe: formatRef(point.safe), origin: formatRef(point.origin) },
      'derivation: pipeline reset',
    )
    this.events.reset?.({ reason, safe: point.safe, origin: point.origin })
  }
}

/**
 * On start: the persisted safe-block → L1-block record seeds the finalizer (it answers `derivedFrom` for the reset
 * point, and L2 finality can move once that L1 block is final), if the recorded block is still on our chain and not
 * above the safe head we start from.
 */
async function seedFromRecord(
  chain: DerivationChain,
  safe: L2BlockRef,
  finalizer: Finalizer,
  log: Logger | undefined,
): Promise<void> {
  const record = await chain.loadSafeOrigin?.()
  if (!record || record.safe.number > safe.number) return
  const block = await chain.blockByNumber(record.safe.number)
  if (!block || bytesToHex(block.header.hash()) !== record.safe.hash) {
    log?.warn({ safe: formatRef(record.safe) }, 'derivation: persisted safe origin is not on the chain, ignored')
    return
  }
  finalizer.onSafe(record.safe, record.derivedFrom)
}

function genesisRef(rollup: RollupConfig): L2BlockRef {
  const g = rollup.genesis
  return {
    hash: g.l2.hash,
    number: g.l2.number,
    parentHash: `0x${'00'.repeat(32)}`,
    timestamp: g.l2Time,
    l1Origin: g.l1,
    sequenceNumber: 0n,
  }
}
