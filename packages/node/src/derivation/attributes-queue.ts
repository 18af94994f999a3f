import type { Common } from '@ethereumjs/common'
import type { RollupConfig } from '@opl/protocol'
import type { Logger } from 'pino'
import { bytesToHex, type Hex, hexToBytes } from 'viem'
import type { PayloadAttributes } from '../engine/block-builder.js'
import { decodeTransaction, depositTx, type EngineTx } from '../engine/transactions.js'
import { L1ReorgError } from '../l1/errors.js'
import type { L1Source } from '../l1/l1-source.js'
import { prepareAttributes } from '../sequencer/attributes.js'
import { type L2BlockRef, systemConfigOf } from '../sequencer/l2-block-ref.js'
import type { BatchQueue, NextBatch } from './batch-queue.js'
import { NotEnoughData, PipelineResetError } from './errors.js'
import type { DerivationChain, DerivedAttributes, ResettableStage } from './types.js'

/**
 * op-node `AttributesQueue` + `FetchingAttributesBuilder`: turns the next batch into payload attributes on top of the
 * pending safe head — the sequencer's own `prepareAttributes` (L1-info deposit, the epoch's user deposits, SystemConfig
 * updates, gas limit) followed by the batch's txs, with no tx pool. Sharing the builder with the sequencer is what
 * makes a derived block byte-identical to the sequenced one.
 */
export class AttributesQueue implements ResettableStage {
  private pending: NextBatch | undefined

  constructor(
    private readonly p: {
      rollup: RollupConfig
      l1: L1Source
      chain: DerivationChain
      batches: BatchQueue
      common: Common
      blobBaseFeeUpdateFraction: bigint
      log?: Logger | undefined
    },
  ) {}

  async nextAttributes(
    parent: L2BlockRef,
    derivedFrom: () => DerivedAttributes['derivedFrom'],
  ): Promise<DerivedAttributes> {
    this.pending ??= await this.p.batches.nextBatch(parent)
    const next = this.pending
    const { batch } = next
    const { rollup } = this.p
    if (batch.timestamp !== parent.timestamp + rollup.blockTime || batch.parentHash !== parent.hash) {
      this.pending = undefined
      throw new PipelineResetError('valid batch does not build on the pending safe head', {
        batchTimestamp: batch.timestamp,
        parent: parent.number,
      })
    }
    const origin = await this.p.l1.blockByHash(batch.epochHash)
    // The batch queue accepted it against L1 blocks it had fetched: a hash L1 no longer knows means a reorg.
    if (!origin)
      throw new L1ReorgError('batch epoch is unknown to L1', { epoch: batch.epochNumber, hash: batch.epochHash })
    const parentBlock = await this.p.chain.blockByNumber(parent.number)
    if (!parentBlock || bytesToHex(parentBlock.header.hash()) !== parent.hash) {
      throw new PipelineResetError('pending safe head is not canonical any more', { parent: parent.number })
    }
    const prepared = await prepareAttributes({
      config: rollup,
      l1: this.p.l1,
      parent,
      parentSystemConfig: systemConfigOf(rollup, parentBlock),
      origin,
      blobBaseFeeUpdateFraction: this.p.blobBaseFeeUpdateFraction,
    })
    this.pending = undefined
    const transactions = this.decode(batch.transactions)
    if (!transactions) throw new NotEnoughData('batch with undecodable txs dropped')
    const attributes: PayloadAttributes = {
      ...prepared.attributes,
      transactions: [...prepared.deposits.map((deposit) => depositTx(deposit)), ...transactions],
    }
    return {
      parent,
      attributes,
      derivedFrom: derivedFrom(),
      isLastInSpan: next.isLastInSpan,
      isEmptyBatch: next.isEmpty,
    }
  }

  /**
   * Batch txs as engine txs. A tx the engine cannot even decode makes the payload invalid: op-node (pre-Holocene)
   * drops such attributes and waits for another batch, and so do we.
   */
  private decode(txs: readonly Hex[]): EngineTx[] | undefined {
    try {
      return txs.map((tx) => decodeTransaction(hexToBytes(tx), this.p.common))
    } catch (error) {
      this.p.log?.warn({ reason: (error as Error).message }, 'batch with an undecodable tx dropped')
      return undefined
    }
  }

  reset(): void {
    this.pending = undefined
  }
}
