import { SettlementError } from '../errors.js'

/**
 * Splits `total` into integer parts proportional to `shares` (non-negative bigints) so the parts sum exactly to
 * `total`: every part gets its floor, and the units left over go one each to the largest remainders, ties to the
 * lower index.
 */
export function largestRemainder(total: bigint, shares: readonly bigint[]): bigint[] {
  if (total < 0n) throw new SettlementError('cannot split a negative amount', { total: total.toString() })
  let sum = 0n
  for (const s of shares) {
    if (s < 0n) throw new SettlementError('negative share', { share: s.toString() })
    sum += s
  }
  if (shares.length === 0 || sum === 0n) {
    if (total === 0n) return shares.map(() => 0n)
    throw new SettlementError('nothing to split the amount over', { total: total.toString() })
  }
  const parts = shares.map((s) => (total * s) / sum)
  const remainders = shares.map((s, i) => ({ i, r: (total * s) % sum }))
  let left = total - parts.reduce((a, b) => a + b, 0n)
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1))
  for (let k = 0; left > 0n; k++, left--) parts[remainders[k]!.i]! += 1n
  return parts
}
