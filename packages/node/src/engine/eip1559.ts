/** Parent fields the next base fee depends on. */
export type BaseFeeParent = { gasLimit: bigint; gasUsed: bigint; baseFeePerGas: bigint }
export type Eip1559Params = { elasticity: bigint; denominator: bigint }

/**
 * EIP-1559 base fee of the block after `parent`, with the chain's own elasticity and denominator (Canyon: 6 / 250),
 * as op-geth consensus/misc/eip1559 computes it before Holocene: the increase is at least 1 wei, the decrease floors
 * at 0.
 */
export function nextBaseFee(parent: BaseFeeParent, params: Eip1559Params): bigint {
  const target = parent.gasLimit / params.elasticity
  if (parent.gasUsed === target) return parent.baseFeePerGas
  if (parent.gasUsed > target) {
    const delta = (parent.baseFeePerGas * (parent.gasUsed - target)) / target / params.denominator
    return parent.baseFeePerGas + (delta > 1n ? delta : 1n)
  }
  const delta = (parent.baseFeePerGas * (target - parent.gasUsed)) / target / params.denominator
  const next = parent.baseFeePerGas - delta
  return next > 0n ? next : 0n
}
