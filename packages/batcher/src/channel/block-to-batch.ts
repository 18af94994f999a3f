import type { RollupConfig } from '@opl/protocol'
import { type BatchData, encodeBatch, type SingularBatch, singularBatchesToSpanBatch } from '@opl/protocol'
import type { L2Block } from '../l2/types.js'

export type BatchType = 'span' | 'singular'

/** op-batcher `BlockToSingularBatch`: the block's non-deposit txs under its parent hash, L1 origin and timestamp. */
export function blockToSingularBatch(block: L2Block): SingularBatch {
  return {
    parentHash: block.parentHash,
    epochNumber: block.l1Origin.number,
    epochHash: block.l1Origin.hash,
    timestamp: block.timestamp,
    transactions: block.transactions,
  }
}

/** The batches one channel carries: one span batch for all its blocks (Delta), or one singular batch per block. */
export function blocksToBatches(blocks: readonly L2Block[], type: BatchType, rollup: RollupConfig): BatchData[] {
  const singular = blocks.map(blockToSingularBatch)
  if (type === 'singular') return singular.map((batch) => ({ type: 'singular', batch }))
  return [
    {
      type: 'span',
      batch: singularBatchesToSpanBatch(singular, {
        genesisTime: rollup.genesis.l2Time,
        blockTime: rollup.blockTime,
        chainId: BigInt(rollup.l2ChainId),
        // op-batcher sets origin bit 0 when the first block opens its epoch (L1-info sequence number 0).
        firstBlockStartsEpoch: blocks[0]?.sequenceNumber === 0n,
      }),
    },
  ]
}

/** RLP-stream bytes a block adds to a channel as a singular batch: the size estimate channels are cut by. */
export function estimatedBatchBytes(block: L2Block): number {
  // type byte + RLP string header (≤ 5 bytes) + content
  return encodeBatch({ type: 'singular', batch: blockToSingularBatch(block) }).length + 5
}
