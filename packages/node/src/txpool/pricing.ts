import { Capability, type FeeMarket1559Tx, type LegacyTx, type TypedTransaction } from '@ethereumjs/tx'

export type FeeCaps = { feeCap: bigint; tipCap: bigint }

/** maxFeePerGas / maxPriorityFeePerGas; both are gasPrice for legacy and access-list txs. */
export function feeCaps(tx: TypedTransaction): FeeCaps {
  if (tx.supports(Capability.EIP1559FeeMarket)) {
    const t = tx as FeeMarket1559Tx
    return { feeCap: t.maxFeePerGas, tipCap: t.maxPriorityFeePerGas }
  }
  const price = (tx as LegacyTx).gasPrice
  return { feeCap: price, tipCap: price }
}

/** What the sequencer earns per gas at `baseFee`: min(tipCap, feeCap − baseFee); negative when it cannot pay. */
export function effectiveTip(caps: FeeCaps, baseFee: bigint): bigint {
  const room = caps.feeCap - baseFee
  return room < caps.tipCap ? room : caps.tipCap
}

/**
 * geth's rule (legacypool list.go `Add`): a replacement must raise BOTH fee caps strictly, and each to at least
 * `old · (100 + bumpPercent) / 100` (integer division, as geth).
 */
export function outbids(next: FeeCaps, current: FeeCaps, bumpPercent: bigint): boolean {
  if (next.feeCap <= current.feeCap || next.tipCap <= current.tipCap) return false
  const threshold = (value: bigint) => (value * (100n + bumpPercent)) / 100n
  return next.feeCap >= threshold(current.feeCap) && next.tipCap >= threshold(current.tipCap)
}
