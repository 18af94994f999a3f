import type { RollupConfig } from '@opl/protocol'
import type { DerivationChain } from './derivation/types.js'
import type { PayloadAttributes } from './engine/block-builder.js'
import { CriticalError } from './l1/errors.js'
import { type L2Block, type L2BlockRef, l2BlockRefOf } from './sequencer/l2-block-ref.js'
import type { ChainStore } from './store/chain-store.js'

/**
 * `DerivationChain` over the node's store, for a node that sequences: derivation consolidates the sequencer's own
 * blocks against the batches on L1 and moves the persisted safe / finalized labels (what the batcher restarts from and
 * the proposer proposes).
 *
 * `insertSafe` is refused: it means the unsafe chain disagrees with L1 (batches missing past the sequencing window,
 * or L1 reorged under the blocks) and the store would have to drop blocks, which it cannot do yet. Derivation then
 * stops with a critical error (logged, counted) while the sequencer goes on — the safe head stays where it was.
 */
export class StoreDerivationChain implements DerivationChain {
  constructor(
    private readonly rollup: RollupConfig,
    private readonly store: ChainStore,
  ) {}

  async head(): Promise<L2BlockRef> {
    return this.refOf(this.store.headNumber)
  }

  async blockByNumber(number: bigint): Promise<L2Block | undefined> {
    return number < 0n || number > this.store.headNumber ? undefined : this.store.block(number)
  }

  async insertSafe(parent: L2BlockRef, attributes: PayloadAttributes): Promise<L2Block> {
    throw new CriticalError('derived block differs from the sequenced chain; the store cannot reorg yet', {
      parent: parent.number,
      head: this.store.headNumber,
      timestamp: attributes.timestamp,
    })
  }

  async updateForkchoice(heads: { safe: L2BlockRef; finalized: L2BlockRef }): Promise<void> {
    if (heads.safe.number > this.store.label('safe')) await this.store.setLabel('safe', heads.safe.number)
    if (heads.finalized.number > this.store.label('finalized')) {
      await this.store.setLabel('finalized', heads.finalized.number)
    }
  }

  /** The persisted label as a block ref, for derivation to start from after a restart. */
  async refOf(number: bigint): Promise<L2BlockRef> {
    const block = await this.store.block(number)
    if (!block) throw new CriticalError('block missing from the store', { number })
    return l2BlockRefOf(this.rollup, block)
  }
}
