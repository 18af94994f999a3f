import type { Hex } from 'viem'
import type { SealedBlock } from './engine/block-builder.js'
import type { TxRejectReason } from './engine/errors.js'
import type { EngineTx } from './engine/transactions.js'

/**
 * The two seams between the sequencer (sequencer/, l1/) and the rest of the node (txpool/, store/, rpc/). They are
 * deliberately small so each side can be tested alone: the sequencer against an array-backed TxSource and a
 * recording BlockSink, the pool and store against blocks built directly on the engine.
 */

/** Limits of the block being built, so the pool can skip what cannot fit or pay. */
export type PendingLimits = {
  /** gas still available in the block */
  gasLimit: bigint
  /** the block's base fee: txs with maxFeePerGas below it are not offered, ordering uses the effective tip at it */
  baseFee: bigint
}

/**
 * Where the sequencer pulls user txs from (the tx pool implements it). Only signed txs: deposits never come from here.
 *
 * Protocol for one block: iterate `pending()` and `builder.add()` each tx.
 * - Order: per sender strictly by nonce; across senders by effective tip at `baseFee` (highest first).
 * - When `add` throws `InvalidTransactionError`, call `markRejected(tx, error.reason)` before pulling the next tx:
 *   the iterator then skips that sender's later txs for this block (they would have a nonce gap). The pool drops the
 *   tx unless the reason is transient (`gas limit reached`, `max fee per gas less than block base fee`).
 * - Stop iterating whenever you like (block full, deadline); the iterator is lazy and holds no locks.
 * - After `BlockSink.commitBlock` resolved, call `markIncluded(sealed.transactions)`. The pool also re-checks nonces
 *   against the new head itself, so a missed call only delays cleanup, never double-includes.
 */
export interface TxSource {
  pending(limits: PendingLimits): Iterable<EngineTx>
  markIncluded(txs: readonly EngineTx[]): void
  markRejected(tx: EngineTx, reason: TxRejectReason): void
}

/**
 * Where sealed blocks go (the store implements it). The sequencer calls `commitBlock(sealed)` INSTEAD of
 * `engine.commit(sealed)`: the sink writes the block, receipts, indexes and the engine's pending trie nodes in one
 * atomic batch, then advances the engine head. When the promise resolves the block is durable and is the head; if it
 * rejects, nothing was written and the sequencer must `engine.abandon()` before building again.
 */
export interface BlockSink {
  commitBlock(sealed: SealedBlock): Promise<void>
}

/** op-node's L1/L2 block reference shape (eth.L1BlockRef), as optimism_syncStatus returns it: JSON numbers. */
export type L1BlockRef = { hash: Hex; number: number; parentHash: Hex; timestamp: number }

/** What the sequencer exposes to the node's admin_* and optimism_syncStatus RPC (the sequencer implements it). */
export interface SequencerControl {
  /** admin_startSequencer: starts building on `unsafeHead`, which must be the current head hash (op-node's check). */
  start(unsafeHead: Hex): Promise<void>
  /** admin_stopSequencer: stops after the block in progress; returns the hash of the last block it sealed. */
  stop(): Promise<Hex>
  /** admin_sequencerActive */
  active(): boolean
  /** L1 view for optimism_syncStatus; absent fields are reported as zero refs. */
  l1Status(): { current?: L1BlockRef; head?: L1BlockRef; safe?: L1BlockRef; finalized?: L1BlockRef }
}
