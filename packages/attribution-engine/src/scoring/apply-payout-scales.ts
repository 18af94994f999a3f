import { type Address, type Hex, keccak256, toBytes } from 'viem'
import { InvalidInputError } from '../errors.js'
import { type ContributorWeight, WAD } from './attribution-result.js'
import { canonicalJson } from './canonical-json.js'

/** The penalty scales applied to a result and the block they were read at (so anyone can read them again). */
export type PenaltyRecord = { block: string; scales: Array<{ contributor: Address; scaleWad: string }> }

type Scalable = {
  contributors: ContributorWeight[]
  unattributedWad: string
  unattributed: number
  digest: Hex
  penalties?: PenaltyRecord
}

/**
 * Scales penalized contributors' weights by their payout scale (DatanetRegistry.payoutScaleWad:
 * max(0, 1 − score / threshold) in 1e18 units). Integer math: each weight becomes ⌊weightWad · scale / 1e18⌋ and
 * what is taken away joins the unattributed share, which pays the model's Datanet treasuries, so weights still sum
 * to exactly 1e18. The scales and their block go into the result and its digest. Scales of 1e18 (no penalty) are
 * left out; with none below 1e18 the result is returned unchanged, byte for byte.
 */
export function applyPayoutScales<T extends Scalable>(
  result: T,
  scales: ReadonlyMap<Address, bigint>,
  block: bigint,
): T {
  const applied: PenaltyRecord['scales'] = []
  let removed = 0n
  const contributors = result.contributors.map((c) => {
    const scale = scales.get(c.contributor) ?? WAD
    if (scale < 0n || scale > WAD) throw new InvalidInputError('payout scale outside [0, 1e18]', { ...c, scale })
    if (scale === WAD) return c
    const before = BigInt(c.weightWad)
    const after = (before * scale) / WAD
    removed += before - after
    applied.push({ contributor: c.contributor, scaleWad: scale.toString() })
    return { ...c, weightWad: after.toString(), weight: Number(after) / 1e18 }
  })
  if (applied.length === 0) return result
  const unattributedWad = BigInt(result.unattributedWad) + removed
  const { digest: _, ...rest } = result
  const body = {
    ...rest,
    contributors,
    unattributedWad: unattributedWad.toString(),
    unattributed: Number(unattributedWad) / 1e18,
    penalties: { block: block.toString(), scales: applied.sort((a, b) => (a.contributor < b.contributor ? -1 : 1)) },
  }
  return { ...body, digest: keccak256(toBytes(canonicalJson(body))) } as T
}
