import type { L1Receipt } from '@opl/protocol'
import type { Hex } from 'viem'

export type { L1Receipt }

/** op-node `eth.L1BlockRef`: enough to place a block in the chain. Numbers and times are bigint, as in viem. */
export type L1BlockRef = { hash: Hex; number: bigint; parentHash: Hex; timestamp: bigint }

/** The header fields the sequencer and derivation read from an L1 block (op-node `eth.BlockInfo`). */
export type L1BlockInfo = L1BlockRef & {
  baseFeePerGas: bigint
  /** absent before Cancun on L1; the L1-info blob base fee is then 1 */
  excessBlobGas?: bigint | undefined
  /** the PREVRANDAO of post-merge L1, the L2 block's prevRandao */
  mixHash: Hex
  /** absent before Cancun on L1; the L2 block then uses the zero hash */
  parentBeaconBlockRoot?: Hex | undefined
  /** number of txs, to check a receipts answer is complete */
  transactionCount: number
}

/** The L1 block tags the node follows. */
export type L1BlockTag = 'latest' | 'safe' | 'finalized'

export function toBlockRef(block: L1BlockRef): L1BlockRef {
  return { hash: block.hash, number: block.number, parentHash: block.parentHash, timestamp: block.timestamp }
}

/** `#123 0xabcd…` for logs. */
export function formatRef(ref: Pick<L1BlockRef, 'hash' | 'number'> | undefined): string {
  return ref ? `#${ref.number} ${ref.hash.slice(0, 10)}` : 'none'
}
