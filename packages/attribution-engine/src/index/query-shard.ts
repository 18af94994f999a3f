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

/** Longest match at every query position over several shards (one worker task for all the shards it is given). */
export function matchShards(shards: readonly ShardMemory[], tokens: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(tokens.length)
  for (const shard of shards) {
    const l = matchShard(shard, tokens)
    for (let i = 0; i < l.length; i++) if (l[i]! > out[i]!) out[i] = l[i]!
  }
  return out
}

/** `locateSpansInShard` over several shards: counts added up, hits of every shard. */
export function locateSpansInShards(
  shards: readonly ShardMemory[],
  tokens: ArrayLike<number>,
  spans: Uint32Array,
  maxOccurrences: number,
): ShardSpanHits {
  const counts = new Uint32Array(spans.length / 2)
  const hits: Uint32Array[] = []
  for (const shard of shards) {
    const one = locateSpansInShard(shard, tokens, spans, maxOccurrences)
    for (let i = 0; i < counts.length; i++) counts[i]! += one.counts[i]!
    hits.push(one.hits)
  }
  const all = new Uint32Array(hits.reduce((a, h) => a + h.length, 0))
  let o = 0
  for (const h of hits) {
    all.set(h, o)
    o += h.length
  }
  return { counts, hits: all }
}
