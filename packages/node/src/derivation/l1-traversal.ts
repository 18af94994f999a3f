import type { RollupConfig, SystemConfig } from '@opl/protocol'
import type { Logger } from 'pino'
import { L1ReorgError } from '../l1/errors.js'
import type { L1Source } from '../l1/l1-source.js'
import { formatRef, type L1BlockRef, toBlockRef } from '../l1/types.js'
import { applySystemConfigUpdates } from '../sequencer/system-config-updates.js'
import { EndOfData } from './errors.js'
import type { ResettableStage } from './types.js'

/**
 * op-node `L1Traversal`: walks L1 one block at a time. It hands its current block out once (`nextL1Block`), and
 * `advance()` moves to the child, checking the parent hash (a mismatch is an L1 reorg → reset) and applying the
 * block's SystemConfig updates to the L1-retrieval copy (the batcher address that authenticates batcher txs).
 */
export class L1Traversal implements ResettableStage {
  private block: L1BlockRef | undefined
  private done = false
  private config!: SystemConfig

  constructor(
    private readonly rollup: RollupConfig,
    private readonly l1: L1Source,
    private readonly log?: Logger,
  ) {}

  get origin(): L1BlockRef {
    if (!this.block) throw new Error('L1Traversal used before reset')
    return this.block
  }

  get systemConfig(): SystemConfig {
    return this.config
  }

  /** The current block, once; EndOfData until `advance()` moved on. */
  nextL1Block(): L1BlockRef {
    if (this.done) throw new EndOfData('L1 traversal: block already handed out')
    this.done = true
    return this.origin
  }

  /**
   * Moves to the next L1 block. EndOfData when L1 has no next block yet (the driver idles); `L1ReorgError` when the
   * next block does not build on ours. L1 errors propagate with their class (temporary).
   */
  async advance(): Promise<void> {
    const origin = this.origin
    const next = await this.l1.blockByNumber(origin.number + 1n)
    if (!next) throw new EndOfData('L1 traversal: at the L1 head')
    if (next.parentHash !== origin.hash) {
      throw new L1ReorgError('L1 reorg: next block does not build on the current origin', {
        origin: formatRef(origin),
        next: formatRef(next),
        nextParent: next.parentHash,
      })
    }
    const receipts = await this.l1.receipts(next)
    // op-node: a malformed update is critical here too (`UpdateSystemConfigWithL1Receipts` error → critical).
    const { systemConfig, applied } = applySystemConfigUpdates({
      config: this.rollup,
      systemConfig: this.config,
      receipts,
      l1Time: next.timestamp,
    })
    if (applied.length > 0) this.log?.info({ block: formatRef(next), updates: applied.length }, 'system config updated')
    this.config = systemConfig
    this.block = toBlockRef(next)
    this.done = false
  }

  reset(base: L1BlockRef, systemConfig: SystemConfig): void {
    this.block = toBlockRef(base)
    this.config = systemConfig
    this.done = false
  }
}
