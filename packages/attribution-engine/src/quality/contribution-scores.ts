import type { Address } from 'viem'
import type { Bm25 } from '../baselines/bm25.js'
import type { AttributionResult } from '../scoring/attribution-result.js'

/**
 * A span result as per-contribution scores: each span is worth rarity × length (the credit its tokens earn),
 * split equally among the contributors holding it, and a contributor's part equally among its contributions
 * that hold it (from the span's evidence, so the engine must run with maxEvidence ≥ the occurrences).
 */
export function spanScoresByContribution(
  result: AttributionResult,
  units: ReadonlyArray<{ id: string; contributor: Address }>,
): Float64Array {
  const index = new Map(units.map((u, i) => [u.id, i]))
  const out = new Float64Array(units.length)
  for (const span of result.spans) {
    const worth = span.rarity * (span.end - span.start)
    const byContributor = new Map<Address, Set<number>>()
    for (const e of span.evidence) {
      const i = index.get(e.contributionId)
      if (i === undefined) continue
      const c = units[i]!.contributor
      byContributor.set(c, (byContributor.get(c) ?? new Set()).add(i))
    }
    for (const held of byContributor.values()) for (const i of held) out[i]! += worth / byContributor.size / held.size
  }
  return out
}

/** BM25 as per-contribution scores: the sum of the output's BM25 score against each of the contribution's rows. */
export function bm25ScoresByContribution(
  bm25: Bm25,
  rowOwner: readonly number[],
  contributions: number,
  query: string,
): Float64Array {
  const out = new Float64Array(contributions)
  for (const hit of bm25.search(query, rowOwner.length)) out[rowOwner[hit.doc]!]! += hit.score
  return out
}
