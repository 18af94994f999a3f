import type { ShardViews } from './shard.js'

/** Maps global token ids to a shard's local ids; ids the shard never saw become -1 (they match nothing). */
export function toLocalTokens(v: ShardViews, tokens: ArrayLike<number>): Int32Array {
  const out = new Int32Array(tokens.length)
  const vocab = v.vocab
  for (let i = 0; i < tokens.length; i++) {
    const g = tokens[i]!
    let lo = 0
    let hi = vocab.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (vocab[mid]! < g) lo = mid + 1
      else hi = mid
    }
    out[i] = lo < vocab.length && vocab[lo] === g ? lo + 1 : -1
  }
  return out
}
