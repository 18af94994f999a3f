import type { Address } from 'viem'
import { SettlementError } from '../errors.js'
import { largestRemainder } from './largest-remainder.js'

export type DatanetShare = { treasury: Address; weight: bigint }

/**
 * Pays the contributors' part of one inference by its attribution weights; the unattributed share goes to the
 * model's Datanet treasuries pro rata to their weight. Integer math throughout: the payouts sum exactly to
 * `amount`. Zero payouts are left out.
 */
export function distributeContributorsPart(args: {
  amount: bigint
  weights: ReadonlyArray<{ contributor: Address; weightWad: string }>
  unattributedWad: string
  datanets: readonly DatanetShare[]
}): Map<Address, bigint> {
  const { amount, weights, datanets } = args
  const shares = [...weights.map((w) => BigInt(w.weightWad)), BigInt(args.unattributedWad)]
  const parts = largestRemainder(amount, shares)
  const out = new Map<Address, bigint>()
  const add = (a: Address, v: bigint) => {
    if (v > 0n) out.set(a, (out.get(a) ?? 0n) + v)
  }
  weights.forEach((w, i) => {
    add(w.contributor, parts[i]!)
  })
  const unattributed = parts.at(-1)!
  if (unattributed > 0n) {
    if (datanets.length === 0) throw new SettlementError('unattributed share but no Datanet treasury to pay it to')
    const treasuries = largestRemainder(
      unattributed,
      datanets.map((d) => d.weight),
    )
    datanets.forEach((d, i) => {
      add(d.treasury, treasuries[i]!)
    })
  }
  return out
}
