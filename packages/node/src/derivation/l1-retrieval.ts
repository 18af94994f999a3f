import type { SystemConfig } from '@opl/protocol'
import type { L1BlockRef } from '../l1/types.js'
import { BatcherDataSource, type DataSourceParameters } from './data-source.js'
import { EndOfData } from './errors.js'
import type { L1Traversal } from './l1-traversal.js'
import type { ResettableStage } from './types.js'

/**
 * op-node `L1Retrieval`: opens a data source for each block L1 traversal hands out, authenticated with the batcher
 * address traversal tracked up to that block, and returns its data items one by one.
 */
export class L1Retrieval implements ResettableStage {
  private source: BatcherDataSource | undefined

  constructor(
    private readonly traversal: L1Traversal,
    private readonly params: DataSourceParameters,
  ) {}

  get origin(): L1BlockRef {
    return this.traversal.origin
  }

  async nextData(): Promise<Uint8Array> {
    if (!this.source) {
      const block = this.traversal.nextL1Block()
      this.source = new BatcherDataSource(this.params, block, this.traversal.systemConfig.batcherAddr)
    }
    try {
      return await this.source.next()
    } catch (error) {
      if (error instanceof EndOfData) this.source = undefined
      throw error
    }
  }

  reset(_base: L1BlockRef, _systemConfig: SystemConfig): void {
    this.source = undefined
  }
}
