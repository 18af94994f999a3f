import { type Address, type Hex, keccak256, toBytes } from 'viem'
import { largestRemainder } from '../settlement/largest-remainder.js'
import { applyCap } from './apply-cap.js'
import type { PenaltyRecord } from './apply-payout-scales.js'
import { canonicalJson } from './canonical-json.js'
import type { ScoringParams } from './params.js'
import { type HeldSpan, scoreSpans } from './score-spans.js'

export const WAD = 10n ** 18n
/** Float weights are rounded to this grid before the exact integer split (far below any payout's precision). */
const GRID = 10n ** 12n

export type SpanEvidence = { contributionId: string; row: number; offset: number }

export type AttributionSpan = {
  start: number
  end: number
  text: string
  count: number
  rarity: number
  contributors: Address[]
  evidence: SpanEvidence[]
}

export type ContributorWeight = {
  contributor: Address
  /** weight in 1e18 units; all weightWad plus unattributedWad sum to exactly 1e18 */
  weightWad: string
  weight: number
  /** credit before the per-contributor cap */
  uncapped: number
  contributions: string[]
}

export type AttributionResult = {
  format: 1
  indexVersion: Hex
  outputHash: Hex
  outputTokens: number
  params: ScoringParams
  spans: AttributionSpan[]
  contributors: ContributorWeight[]
  unattributedWad: string
  unattributed: number
  /** payout scales of penalized contributors, when applied (apply-payout-scales.ts) */
  penalties?: PenaltyRecord
  /** keccak256 of the canonical JSON of every other field */
  digest: Hex
}

export type SpanWithEvidence = HeldSpan & {
  text: string
  evidence: SpanEvidence[]
  contributions: Map<Address, string[]>
}

/** Turns located spans into weights (capped, exact 1e18 integers) and the digest-carrying result. */
export function buildAttributionResult(args: {
  indexVersion: Hex
  output: string
  outputTokens: number
  indexTokens: number
  spans: SpanWithEvidence[]
  params: ScoringParams
}): AttributionResult {
  const { spans, params } = args
  const scores = scoreSpans(args.outputTokens, spans, args.indexTokens)
  const weights = normalizeCredit(scores.credit, scores.unattributed, params.capBps)
  const contributionsOf = new Map<Address, Set<string>>()
  for (const s of spans)
    for (const [c, ids] of s.contributions) {
      const set = contributionsOf.get(c) ?? new Set<string>()
      for (const id of ids) set.add(id)
      contributionsOf.set(c, set)
    }
  const body: Omit<AttributionResult, 'digest'> = {
    format: 1,
    indexVersion: args.indexVersion,
    outputHash: keccak256(toBytes(args.output)),
    outputTokens: args.outputTokens,
    params,
    spans: spans.map((s, i) => ({
      start: s.start,
      end: s.start + s.length,
      text: s.text,
      count: s.count,
      rarity: scores.rarity[i]!,
      contributors: s.contributors,
      evidence: s.evidence,
    })),
    contributors: weights.contributors.map((w) => ({
      ...w,
      contributions: [...(contributionsOf.get(w.contributor) ?? [])].sort(),
    })),
    unattributedWad: weights.unattributedWad,
    unattributed: weights.unattributed,
  }
  return { ...body, digest: resultDigest(body) }
}

/**
 * The normalization every scorer shares: per-contributor credit (shares of the output, before the cap) plus the
 * unattributed share are capped per contributor (excess water-filled, or left unattributed) and turned into
 * exact 1e18 integers by largest remainder, so contributors plus unattributed sum to exactly 1e18.
 */
export function normalizeCredit(
  credit: ReadonlyMap<Address, number>,
  unattributed: number,
  capBps: number,
): {
  contributors: Array<Omit<ContributorWeight, 'contributions'>>
  unattributedWad: string
  unattributed: number
} {
  const capped = applyCap(new Map(credit), capBps / 10_000)
  const contributors = [...capped.weights.keys()].sort() as Address[]
  const floats = [...contributors.map((c) => capped.weights.get(c)!), unattributed + capped.leftover]
  const grid = largestRemainder(
    GRID,
    floats.map((f) => BigInt(Math.round(Math.max(0, f) * Number(GRID)))),
  ).map((g) => g * (WAD / GRID))
  return {
    contributors: contributors.map((c, i) => ({
      contributor: c,
      weightWad: grid[i]!.toString(),
      weight: Number(grid[i]!) / 1e18,
      uncapped: credit.get(c)!,
    })),
    unattributedWad: grid.at(-1)!.toString(),
    unattributed: Number(grid.at(-1)!) / 1e18,
  }
}

export function resultDigest(body: Omit<AttributionResult, 'digest'>): Hex {
  return keccak256(toBytes(canonicalJson(body)))
}
