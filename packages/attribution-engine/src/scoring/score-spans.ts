import type { Address } from 'viem'
import type { Segment } from './select-spans.js'

export type HeldSpan = Segment & {
  /** occurrences in the whole index */
  count: number
  /** distinct contributors whose rows hold the span, sorted */
  contributors: Address[]
}

/**
 * Rarity in (0, 1]: 1 for a span seen once, falling with log(count) to 0 at a span that would occur at every
 * position. Common text is less evidence of use, so the mass it loses stays unattributed.
 */
export function rarity(count: number, indexTokens: number): number {
  if (count <= 1) return 1
  return Math.max(0, 1 - Math.log(count) / Math.log(indexTokens + 1))
}

export type SpanScores = {
  /** per contributor, the share of the output's tokens credited to them (before the cap) */
  credit: Map<Address, number>
  unattributed: number
  rarity: number[]
}

/**
 * Per-token credit: a token covered by no span is unattributed; a covered token is credited max(rarity) of its
 * spans, shared among them in proportion to rarity × length, the rest unattributed. A span's credit is split
 * equally among the contributors holding it. Totals are divided by the output length, so credit + unattributed
 * sums to 1. Iteration order is fixed, so the same input gives bit-identical floats.
 */
export function scoreSpans(outputTokens: number, spans: HeldSpan[], indexTokens: number): SpanScores {
  const r = spans.map((s) => rarity(s.count, indexTokens))
  const spanCredit = new Float64Array(spans.length)
  let unattributed = 0
  // spans are sorted by start; a sliding window holds the spans covering token t.
  let next = 0
  const active: number[] = []
  for (let t = 0; t < outputTokens; t++) {
    while (next < spans.length && spans[next]!.start <= t) active.push(next++)
    for (let k = active.length - 1; k >= 0; k--) {
      const s = spans[active[k]!]!
      if (s.start + s.length <= t) active.splice(k, 1)
    }
    if (active.length === 0) {
      unattributed += 1
      continue
    }
    let maxR = 0
    let total = 0
    for (const i of active) {
      maxR = Math.max(maxR, r[i]!)
      total += r[i]! * spans[i]!.length
    }
    if (total === 0) {
      unattributed += 1
      continue
    }
    for (const i of active) spanCredit[i]! += (maxR * r[i]! * spans[i]!.length) / total
    unattributed += 1 - maxR
  }
  const credit = new Map<Address, number>()
  spans.forEach((s, i) => {
    if (s.contributors.length === 0) {
      unattributed += spanCredit[i]!
      return
    }
    const each = spanCredit[i]! / s.contributors.length
    for (const c of s.contributors) credit.set(c, (credit.get(c) ?? 0) + each)
  })
  for (const [c, v] of credit) credit.set(c, v / outputTokens)
  return { credit, unattributed: unattributed / outputTokens, rarity: r }
}
