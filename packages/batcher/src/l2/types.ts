import type { BlockId } from '@opl/protocol'
import type { Hex } from 'viem'

/** op-service `eth.L1BlockRef`. Numbers are bigint here; the wire carries JSON numbers. */
export type L1BlockRef = { hash: Hex; number: bigint; parentHash: Hex; timestamp: bigint }

/** op-service `eth.L2BlockRef`: an L1BlockRef plus its L1 origin and position in the epoch. */
export type L2BlockRef = L1BlockRef & { l1origin: BlockId; sequenceNumber: bigint }

/** op-node `optimism_syncStatus` (op-service `eth.SyncStatus`), the fields the batcher reads. */
export type SyncStatus = {
  currentL1: L1BlockRef
  headL1: L1BlockRef
  safeL1: L1BlockRef
  finalizedL1: L1BlockRef
  unsafeL2: L2BlockRef
  safeL2: L2BlockRef
  finalizedL2: L2BlockRef
}

/**
 * An L2 block as the batcher needs it: what op-batcher reads from `eth_getBlockByNumber(n, true)` plus the L1 origin
 * and sequence number it decodes from the block's first tx (the L1-info deposit). `transactions` are EIP-2718
 * encodings of the block's non-deposit txs, in block order: exactly what a batch carries.
 */
export type L2Block = {
  number: bigint
  hash: Hex
  parentHash: Hex
  timestamp: bigint
  l1Origin: BlockId
  sequenceNumber: bigint
  transactions: Hex[]
}

/** The node as the batcher sees it: op-node's rollup RPC for the heads, op-geth's eth RPC for blocks. */
export interface L2Source {
  syncStatus(): Promise<SyncStatus>
  blockByNumber(number: bigint): Promise<L2Block>
}

export function blockRef(block: L2Block): L2BlockRef {
  return {
    hash: block.hash,
    number: block.number,
    parentHash: block.parentHash,
    timestamp: block.timestamp,
    l1origin: block.l1Origin,
    sequenceNumber: block.sequenceNumber,
  }
}
