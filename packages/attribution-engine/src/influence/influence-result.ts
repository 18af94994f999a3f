import { type Address, type Hex, keccak256, toBytes } from 'viem'
import type { PenaltyRecord } from '../scoring/apply-payout-scales.js'
import { type ContributorWeight, normalizeCredit } from '../scoring/attribution-result.js'
import { canonicalJson } from '../scoring/canonical-json.js'
import type { InfluenceParams } from './config.js'

/** One contribution's TracIn influence on the output (evidence; only positive influence pays). */
export type InfluenceEvidence = { contributionId: string; contributor: Address; influence: number }

export type InfluenceResult = {
  format: 1
  method: 'influence'
  /** the model version: training set digest, config and checkpoints (what anyone needs to recompute) */
  indexVersion: Hex
  outputHash: Hex
  outputTokens: number
  params: InfluenceParams
  /** mean over output tokens of how far the trained model moved from uniform towards certainty on that token */
  explained: number
  /** Σ of the positive influences (the mass the weights split) and of the negative ones (paid to nobody) */
  positiveInfluence: number
  negativeInfluence: number
  /** the `maxEvidence` most positive contributions, then the `maxEvidence` most negative, each by influence */
  evidence: InfluenceEvidence[]
  contributors: ContributorWeight[]
  unattributedWad: string
  unattributed: number
  /** payout scales of penalized contributors, when applied (apply-payout-scales.ts) */
  penalties?: PenaltyRecord
  digest: Hex
}

/**
 * Influence → weights. Only positive influence pays (PoA: I(d_i, y) > 0), per contribution, then summed per
 * contributor. The explained share of the output is split among contributors in proportion to their positive
 * influence; the rest (what the trained model does not know better than chance, and every token outside its
 * vocabulary) is unattributed, as uncovered text is for spans. Then the shared cap and exact 1e18 rounding.
 */
export function buildInfluenceResult(args: {
  modelVersion: Hex
  output: string
  outputTokens: number
  explained: number
  contributions: ReadonlyArray<{ id: string; contributor: Address }>
  influence: Float64Array
  params: InfluenceParams
}): InfluenceResult {
  const { contributions, influence, params } = args
  let positive = 0
  let negative = 0
  const byContributor = new Map<Address, number>()
  const paidIds = new Map<Address, string[]>()
  contributions.forEach((c, i) => {
    const v = influence[i]!
    if (v > 0) {
      positive += v
      byContributor.set(c.contributor, (byContributor.get(c.contributor) ?? 0) + v)
      paidIds.set(c.contributor, [...(paidIds.get(c.contributor) ?? []), c.id])
    } else negative += v
  })
  const credit = new Map<Address, number>()
  if (positive > 0) for (const [c, v] of byContributor) credit.set(c, (args.explained * v) / positive)
  const unattributed = positive > 0 ? 1 - args.explained : 1
  const weights = normalizeCredit(credit, unattributed, params.capBps)
  const ranked = contributions
    .map((c, i) => ({ contributionId: c.id, contributor: c.contributor, influence: influence[i]! }))
    .sort((a, b) => b.influence - a.influence || (a.contributionId < b.contributionId ? -1 : 1))
  const top = ranked.filter((e) => e.influence > 0).slice(0, params.maxEvidence)
  const bottom = ranked
    .filter((e) => e.influence < 0)
    .reverse()
    .slice(0, params.maxEvidence)
  const body: Omit<InfluenceResult, 'digest'> = {
    format: 1,
    method: 'influence',
    indexVersion: args.modelVersion,
    outputHash: keccak256(toBytes(args.output)),
    outputTokens: args.outputTokens,
    params,
    explained: args.explained,
    positiveInfluence: positive,
    negativeInfluence: negative,
    evidence: [...top, ...bottom],
    contributors: weights.contributors.map((w) => ({ ...w, contributions: [...paidIds.get(w.contributor)!].sort() })),
    unattributedWad: weights.unattributedWad,
    unattributed: weights.unattributed,
  }
  return { ...body, digest: keccak256(toBytes(canonicalJson(body))) }
}
