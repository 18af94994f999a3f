import type { SystemConfig } from '@opl/protocol'
import type { PayloadAttributes } from '../engine/block-builder.js'
import type { L1BlockRef } from '../l1/types.js'
import type { L2Block, L2BlockRef } from '../sequencer/l2-block-ref.js'

/**
 * A pipeline stage as op-node's: it pulls from the stage before and knows nothing else. `origin` is the L1 block the
 * stage is reading at; `reset` drops every buffered item (op-node resets each stage to the same L1 base).
 */
export interface ResettableStage {
  reset(base: L1BlockRef, systemConfig: SystemConfig): void
}

/** Derived payload attributes for the block after `parent`, with the batch facts consolidation and finality need. */
export type DerivedAttributes = {
  parent: L2BlockRef
  attributes: PayloadAttributes
  /** the L1 block the pipeline was reading when the batch became complete */
  derivedFrom: L1BlockRef
  /** the last block of its span batch (always true for singular batches): the safe head moves only then */
  isLastInSpan: boolean
  /** no batch: generated because the sequencing window passed */
  isEmptyBatch: boolean
}

/**
 * The L2 chain as derivation needs it; the node (store + engine) implements it, `EngineChain` is the in-memory one.
 *
 * Derivation decides, the node executes: blocks above `parent` handed to `insertSafe` disagree with L1 (the unsafe
 * chain was wrong, or L1 reorged under it) and must be discarded — the node owns the head and the store.
 */
export interface DerivationChain {
  /** the canonical (unsafe) head */
  head(): Promise<L2BlockRef>
  /** canonical block at `number` with its txs; undefined above the head */
  blockByNumber(number: bigint): Promise<L2Block | undefined>
  /**
   * Builds the block for derived attributes on top of `parent` (canonical) and makes it the head; canonical blocks
   * above `parent` are dropped first. Throws `InvalidTransactionError` / `BlockBuildError` when the payload is invalid.
   */
  insertSafe(parent: L2BlockRef, attributes: PayloadAttributes): Promise<L2Block>
  /** The safe and finalized heads moved (op-node's forkchoice update): persist them. */
  updateForkchoice(heads: { safe: L2BlockRef; finalized: L2BlockRef }): Promise<void>
  /**
   * Optional: persist that `safe` became safe while derivation read L1 block `derivedFrom` (called after
   * `updateForkchoice` each time the safe head moves; only the latest record is needed). With it a restart resets to
   * the recorded safe block when that L1 block is still canonical, instead of walking back a sequencing window.
   */
  saveSafeOrigin?(record: SafeOrigin): Promise<void>
  /** Optional: the last record `saveSafeOrigin` persisted, if any. */
  loadSafeOrigin?(): Promise<SafeOrigin | undefined>
}

/** A safe L2 block and the L1 block the pipeline was reading when it became safe. */
export type SafeOrigin = { safe: L2BlockRef; derivedFrom: L1BlockRef }
