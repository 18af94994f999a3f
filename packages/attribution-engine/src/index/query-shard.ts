import { findLongestMatches } from './find-longest-matches.js'
import { locateSpan, rowOfPosition } from './locate-span.js'
import { type ShardMemory, shardViews } from './shard.js'
import { toLocalTokens } from './to-local-tokens.js'

/** Longest match length at every query position, in one shard. */
export function matchShard(shard: ShardMemory, tokens: ArrayLike<number>): Uint32Array {
  const v = shardViews(shard)
  return findLongestMatches(v, toLocalTokens(v, tokens))
}

export type ShardSpanHits = {
  /** occurrences of each span in this shard */
  counts: Uint32Array
  /** flattened (span index, global row id, offset in row) triples, at most `maxOccurrences` per span */
  hits: Uint32Array
}

/**
 * Occurrences of each span (start, length pairs over `tokens`) in one shard. A span seen more than
 * `maxOccurrences` times reports its count but no hits: the caller drops it as boilerplate anyway.
 */
export function locateSpansInShard(
  shard: ShardMemory,
  tokens: ArrayLike<number>,
  spans: Uint32Array,
  maxOccurrences: number,
): ShardSpanHits {
  const v = shardViews(shard)
  const local = toLocalTokens(v, tokens)
  const nSpans = spans.length / 2
  const counts = new Uint32Array(nSpans)
  const hits: number[] = []
  for (let s = 0; s < nSpans; s++) {
    const start = spans[2 * s]!
    const length = spans[2 * s + 1]!
    let inShard = true
    for (let k = 0; k < length; k++) if (local[start + k]! < 0) inShard = false
    if (!inShard) continue
    const { lo, hi } = locateSpan(v, local, start, length)
    counts[s] = hi - lo
    if (hi - lo > maxOccurrences) continue
    for (let k = lo; k < hi; k++) {
      const { row, offset } = rowOfPosition(v, v.sa[k]!)
      hits.push(s, v.rowIds[row]!, offset)
    }
  }
  return { counts, hits: Uint32Array.from(hits) }
}
