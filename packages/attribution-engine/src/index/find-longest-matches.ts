import type { ShardViews } from './shard.js'

/**
 * For every position i of the query, the length of the longest prefix of query[i..] that occurs in the shard:
 * one binary search over the suffix array per position (OLMoTrace's "one FIND per position"), O(L log N) with the
 * usual min(lcp(lo), lcp(hi)) skip. Matches never cross rows because separators (0) never appear in a query.
 */
export function findLongestMatches(v: ShardViews, query: Int32Array): Uint32Array {
  const L = query.length
  const out = new Uint32Array(L)
  const T = v.tokens
  const sa = v.sa
  const n = sa.length
  // end[i]: first position ≥ i holding a token the shard never saw, which bounds any match starting at i.
  let end = L
  for (let i = L - 1; i >= 0; i--) {
    if (query[i]! < 0) {
      end = i
      continue
    }
    let lo = 0
    let hi = n
    let lcpLo = 0
    let lcpHi = 0
    let best = 0
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const p = sa[mid]!
      let k = Math.min(lcpLo, lcpHi)
      while (i + k < end && p + k < n && query[i + k] === T[p + k]) k++
      if (k > best) best = k
      if (i + k === end || (p + k < n && T[p + k]! > query[i + k]!)) {
        hi = mid
        lcpHi = k
      } else {
        lo = mid + 1
        lcpLo = k
      }
    }
    out[i] = best
  }
  return out
}
