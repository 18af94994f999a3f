import type { PublicClient } from 'viem'

export type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }

/** op-txmgr's suggestion: tip from the node (at least `minTip`), fee cap = 2 × base fee + tip. */
export async function suggestFees(client: PublicClient, minTip: bigint): Promise<Fees> {
  const [block, tip] = await Promise.all([
    client.getBlock({ blockTag: 'latest' }),
    client.estimateMaxPriorityFeePerGas(),
  ])
  const priority = tip > minTip ? tip : minTip
  const baseFee = block.baseFeePerGas ?? 0n
  return { maxPriorityFeePerGas: priority, maxFeePerGas: 2n * baseFee + priority }
}

/**
 * Fees for a replacement (op-txmgr `increaseGasPrice`): geth accepts a replacement only if both tip and fee cap rise
 * by at least 10% (`txpool.pricebump`), so each is the larger of the bumped old value and today's suggestion, and the
 * cap never drops below the tip. Blob txs would need +100 % (geth's blob pool); the manager only signs EIP-1559 txs.
 */
export function bumpFees(previous: Fees, suggested: Fees, bumpPercent: bigint): Fees {
  const bump = (v: bigint) => (v * (100n + bumpPercent) + 99n) / 100n
  const tip = max(bump(previous.maxPriorityFeePerGas), suggested.maxPriorityFeePerGas)
  const cap = max(max(bump(previous.maxFeePerGas), suggested.maxFeePerGas), tip)
  return { maxPriorityFeePerGas: tip, maxFeePerGas: cap }
}

const max = (a: bigint, b: bigint) => (a > b ? a : b)
