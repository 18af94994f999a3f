import type { RollupConfig } from '@opl/protocol'
import { PipelineResetError } from './derivation/errors.js'
import type { DerivationChain, SafeOrigin } from './derivation/types.js'
import type { PayloadAttributes } from './engine/block-builder.js'
import { CriticalError } from './l1/errors.js'
import { type L2Block, type L2BlockRef, l2BlockRefOf } from './sequencer/l2-block-ref.js'
import type { ChainStore } from './store/chain-store.js'

export type StoreDerivationChainOptions = {
  /**
   * Runs `write` with nothing else building on the engine (a sequencing node pauses its sequencer around it: two
   * blocks built at once on one engine would mix their state). Default: run it directly (verifier).
   */
  exclusive?: <T>(write: () => Promise<T>) => Promise<T>
}

/**
 * `DerivationChain` over the node's store. On a sequencing node derivation consolidates the sequencer's own blocks
 * against the batches on L1; where they disagree (batches missing past the sequencing window, L1 reorged under them)
 * `insertSafe` drops the unsafe blocks above the parent and builds the derived block, and the sequencer continues on
 * that head. On a verifier `insertSafe` builds every block. The safe / finalized labels and the safe-origin record are
 * persisted in the store, so a restart resumes from them.
 */
export class StoreDerivationChain implements DerivationChain {
  private readonly exclusive: <T>(write: () => Promise<T>) => Promise<T>

  constructor(
    private readonly rollup: RollupConfig,
    private readonly store: ChainStore,
    options: StoreDerivationChainOptions = {},
  ) {
    this.exclusive = options.exclusive ?? ((write) => write())
  }

  async head(): Promise<L2BlockRef> {
    return this.refOf(this.store.headNumber)
  }

  async blockByNumber(number: bigint): Promise<L2Block | undefined> {
    return number < 0n || number > this.store.headNumber ? undefined : this.store.block(number)
  }

  /**
   * Rewinds to `parent`, builds the derived block there and commits it (one atomic batch each). An invalid payload
   * leaves the chain at `parent`, as op-node's forced build does: the unsafe blocks were wrong either way.
   */
  async insertSafe(parent: L2BlockRef, attributes: PayloadAttributes): Promise<L2Block> {
    return this.exclusive(async () => {
      const canonical = await this.store.block(parent.number)
      if (canonical?.hash !== parent.hash) {
        // the store moved under the pipeline (a restart, or a rewind it did not ask for): find the ancestor again
        throw new PipelineResetError('parent of derived block is not canonical', {
          parent: parent.number,
          hash: parent.hash,
        })
      }
      await this.store.rewind(parent.number)
      return this.store.engine.buildBlock(attributes, (sealed) => this.store.commitBlock(sealed))
    })
  }

  /** Drops the canonical blocks above `number` (the node's unsafe-head rewind). */
  async rewind(number: bigint): Promise<void> {
    await this.exclusive(() => this.store.rewind(number))
  }

  async updateForkchoice(heads: { safe: L2BlockRef; finalized: L2BlockRef }): Promise<void> {
    // forward only: a reset that walks back (restart without a safe-origin record) re-derives blocks that are
    // already safe, and the batcher must not see the safe head regress; a rewind below safe lowers it in the store
    if (heads.safe.number > this.store.label('safe')) {
      await this.store.setLabel('safe', heads.safe.number)
    }
    if (heads.finalized.number > this.store.label('finalized')) {
      await this.store.setLabel('finalized', heads.finalized.number)
    }
  }

  async saveSafeOrigin(record: SafeOrigin): Promise<void> {
    await this.store.putMeta('safeOrigin', record)
  }

  async loadSafeOrigin(): Promise<SafeOrigin | undefined> {
    // written only by saveSafeOrigin; derivation checks the record against the chain before using it
    return (await this.store.getMeta('safeOrigin')) as SafeOrigin | undefined
  }

  /** The persisted label as a block ref, for derivation to start from after a restart. */
  async refOf(number: bigint): Promise<L2BlockRef> {
    const block = await this.store.block(number)
    if (!block) throw new CriticalError('block missing from the store', { number })
    return l2BlockRefOf(this.rollup, block)
  }
}
