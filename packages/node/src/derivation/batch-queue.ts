import type { RollupConfig, SingularBatch, SystemConfig } from '@opl/protocol'
import type { Logger } from 'pino'
import type { L1BlockRef } from '../l1/types.js'
import type { L2BlockRef } from '../sequencer/l2-block-ref.js'
import { type BatchValidity, checkSingularBatch, checkSpanBatch } from './batch-checks.js'
import type { Batch, ChannelReader } from './channel-reader.js'
import { DerivationCriticalError, EndOfData, NotEnoughData, PipelineResetError } from './errors.js'
import type { DerivationChain, ResettableStage } from './types.js'

type QueuedBatch = { batch: Batch; inclusion: L1BlockRef }

/** A batch the batch queue let go, and why (tests and metrics read these; the log has them too). */
export type DroppedBatch = { timestamp: bigint; type: Batch['type']; reason: string; inclusion: bigint }

export type NextBatch = { batch: SingularBatch; isLastInSpan: boolean; isEmpty: boolean }

/**
 * op-node `BatchQueue` (pre-Holocene): buffers batches in the order first seen, keeps future ones, drops invalid ones
 * with a reason, and returns the first acceptable batch for the block after the safe head. When the sequencing window
 * of the current epoch has passed with no batch, it generates empty (deposits-only) batches: same origin while the
 * next L2 time is before the next L1 origin's time (and always the epoch's first block), else it advances the epoch.
 * Span batches are split into singular batches handed out one by one (`isLastInSpan` marks the end).
 *
 * `l1Blocks` holds the consecutive L1 blocks from the safe head's epoch to the current origin; it never outgrows the
 * sequencing window because the window forces the epoch forward.
 */
export class BatchQueue implements ResettableStage {
  private origin: L1BlockRef | undefined
  private l1Blocks: L1BlockRef[] = []
  private batches: QueuedBatch[] = []
  private nextSpan: SingularBatch[] = []
  private generatedEmpty = false

  constructor(
    private readonly rollup: RollupConfig,
    private readonly reader: ChannelReader,
    private readonly chain: DerivationChain,
    private readonly log?: Logger,
    private readonly onDrop?: (dropped: DroppedBatch) => void,
  ) {}

  /** Buffered batches (tests, metrics). */
  get buffered(): number {
    return this.batches.length
  }

  async nextBatch(parent: L2BlockRef): Promise<NextBatch> {
    const fromSpan = this.nextFromSpan(parent)
    if (fromSpan) return fromSpan
    this.updateOrigins(parent)
    const behind = this.reader.origin.number < parent.l1Origin.number
    let outOfData = false
    try {
      const batch = await this.reader.nextBatch()
      // Batches read while the origin is behind the safe head's epoch are for blocks already safe: skip them.
      if (!behind) await this.add({ batch, inclusion: this.origin! }, parent)
    } catch (error) {
      if (error instanceof EndOfData) outOfData = true
      else throw error
    }
    if (behind) throw outOfData ? new EndOfData('batch queue behind the safe head') : new NotEnoughData('skipping')
    this.generatedEmpty = false
    const next = await this.deriveNext(outOfData, parent)
    if (!next) throw outOfData ? new EndOfData('no batch yet') : new NotEnoughData('no batch yet')
    if (next.type === 'singular') return { batch: next.batch, isLastInSpan: true, isEmpty: this.generatedEmpty }
    this.nextSpan = this.toSingular(next.batch, parent)
    return this.popSpan(parent)
  }

  private nextFromSpan(parent: L2BlockRef): NextBatch | undefined {
    if (this.nextSpan.length === 0) return undefined
    if (this.nextSpan[0]!.timestamp === parent.timestamp + this.rollup.blockTime) return this.popSpan(parent)
    // The previous block of this span was not applied (invalid payload): the rest of the span cannot follow.
    this.log?.warn({ parent: parent.number }, 'parent does not match the cached span batch: dropped')
    this.nextSpan = []
    return undefined
  }

  private popSpan(parent: L2BlockRef): NextBatch {
    const batch = { ...this.nextSpan.shift()!, parentHash: parent.hash }
    return { batch, isLastInSpan: this.nextSpan.length === 0, isEmpty: false }
  }

  private updateOrigins(parent: L2BlockRef): void {
    const behind = this.reader.origin.number < parent.l1Origin.number
    const current = this.reader.origin
    if (this.origin?.hash !== current.hash) {
      this.origin = current
      if (!behind) this.l1Blocks.push(current)
      else this.l1Blocks = []
    }
    // Drop L1 blocks older than the safe head's epoch (only once every block of that epoch is safe).
    if (this.l1Blocks.length > 0 && parent.l1Origin.number > this.l1Blocks[0]!.number) {
      const index = this.l1Blocks.findIndex((block) => block.number === parent.l1Origin.number)
      if (index >= 0) this.l1Blocks = this.l1Blocks.slice(index)
    }
  }

  private async add(queued: QueuedBatch, parent: L2BlockRef): Promise<void> {
    const validity = await this.check(queued, parent)
    if (validity.kind === 'drop') return this.drop(queued, validity.reason)
    this.batches.push(queued)
  }

  private async deriveNext(outOfData: boolean, parent: L2BlockRef): Promise<Batch | undefined> {
    const epoch = this.l1Blocks[0]
    if (!epoch) throw new DerivationCriticalError('batch queue has no L1 origin')
    if (parent.l1Origin.hash !== epoch.hash && parent.l1Origin.number !== epoch.number - 1n) {
      throw new PipelineResetError('batch queue epoch does not match the safe head origin', {
        epoch: epoch.number,
        safeOrigin: parent.l1Origin.number,
      })
    }
    const remaining: QueuedBatch[] = []
    let found: QueuedBatch | undefined
    for (let i = 0; i < this.batches.length; i++) {
      const queued = this.batches[i]!
      const validity = await this.check(queued, parent)
      if (validity.kind === 'future') remaining.push(queued)
      else if (validity.kind === 'drop') this.drop(queued, validity.reason)
      else if (validity.kind === 'accept') {
        found = queued
        remaining.push(...this.batches.slice(i + 1))
        break
      } else {
        remaining.push(...this.batches.slice(i))
        this.batches = remaining
        return undefined
      }
    }
    this.batches = remaining
    if (found) return found.batch
    return this.emptyBatch(outOfData, parent)
  }

  /** op-node `deriveNextEmptyBatch`: only once the sequencing window of the current epoch has fully been read. */
  private emptyBatch(outOfData: boolean, parent: L2BlockRef): Batch | undefined {
    const epoch = this.l1Blocks[0]!
    const origin = this.origin!
    const expiry = epoch.number + this.rollup.seqWindowSize
    const force = (expiry === origin.number && outOfData) || expiry < origin.number
    if (!force || this.l1Blocks.length < 2) return undefined
    const nextEpoch = this.l1Blocks[1]!
    const nextTimestamp = parent.timestamp + this.rollup.blockTime
    const firstOfEpoch = epoch.number === parent.l1Origin.number + 1n
    if (nextTimestamp < nextEpoch.timestamp || firstOfEpoch) {
      this.log?.info({ epoch: epoch.number, timestamp: nextTimestamp }, 'generating empty batch')
      this.generatedEmpty = true
      return {
        type: 'singular',
        batch: {
          parentHash: parent.hash,
          epochNumber: epoch.number,
          epochHash: epoch.hash,
          timestamp: nextTimestamp,
          transactions: [],
        },
      }
    }
    // Every empty block of this epoch is generated: move to the next epoch (op-node advances l1Blocks here too).
    this.l1Blocks.shift()
    return undefined
  }

  private toSingular(batch: Extract<Batch, { type: 'span' }>['batch'], parent: L2BlockRef): SingularBatch[] {
    const out: SingularBatch[] = []
    for (const element of batch.elements) {
      if (element.timestamp <= parent.timestamp) continue
      const origin = this.l1Blocks.find((block) => block.number === element.epochNumber)
      if (!origin) {
        throw new DerivationCriticalError('accepted span batch names an L1 origin outside the window', {
          epoch: element.epochNumber,
        })
      }
      out.push({
        parentHash: parent.hash,
        epochNumber: element.epochNumber,
        epochHash: origin.hash,
        timestamp: element.timestamp,
        transactions: element.transactions,
      })
    }
    return out
  }

  private check(queued: QueuedBatch, parent: L2BlockRef): Promise<BatchValidity> | BatchValidity {
    const ctx = { rollup: this.rollup, l1Blocks: this.l1Blocks, safe: parent, inclusion: queued.inclusion }
    return queued.batch.type === 'singular'
      ? checkSingularBatch(ctx, queued.batch.batch)
      : checkSpanBatch(ctx, queued.batch.batch, this.chain)
  }

  private drop(queued: QueuedBatch, reason: string): void {
    const first =
      queued.batch.type === 'singular' ? queued.batch.batch.timestamp : queued.batch.batch.elements[0]!.timestamp
    const dropped = { timestamp: first, type: queued.batch.type, reason, inclusion: queued.inclusion.number }
    this.log?.warn(dropped, 'batch dropped')
    this.onDrop?.(dropped)
  }

  reset(base: L1BlockRef, _systemConfig: SystemConfig): void {
    this.origin = base
    this.l1Blocks = [base]
    this.batches = []
    this.nextSpan = []
  }
}
