/** Tokens per shingle: 5-grams tell paraphrase-free copies apart from rows that merely share phrases. */
export const SHINGLE_TOKENS = 5
const PERMUTATIONS = 32
export const BANDS = 8
const ROWS_PER_BAND = PERMUTATIONS / BANDS

/** murmur3's 32-bit finalizer: a cheap, well-mixed hash of one integer. */
function mix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

const SEEDS = Uint32Array.from({ length: PERMUTATIONS }, (_, i) => mix32(0x9e3779b9 + i * 0x632be5ab))

/** The hashed token 5-grams of a row in order, repeats included (the whole row is one shingle when it is shorter). */
export function shingleHashes(tokens: ArrayLike<number>): Uint32Array {
  const n = tokens.length
  const k = Math.min(SHINGLE_TOKENS, n)
  const out = new Uint32Array(n - k + 1)
  for (let i = 0; i + k <= n; i++) {
    let h = 0x811c9dc5
    for (let j = 0; j < k; j++) h = mix32(h ^ tokens[i + j]!)
    out[i] = h
  }
  return out
}

/** The set of hashed token 5-grams of a row (for the exact Jaccard check of a candidate). */
export function shingles(tokens: ArrayLike<number>): Set<number> {
  return new Set(shingleHashes(tokens))
}

/**
 * LSH band keys of the row's MinHash signature (32 permutations, 8 bands of 4): rows with Jaccard 0.8 share a band
 * with probability 0.985, rows with Jaccard 0.3 with 0.06; candidates are then verified exactly. Takes the shingle
 * hashes with or without repeats: a minimum does not change when a value repeats, so no Set is needed here.
 */
export function bandKeys(hashes: ArrayLike<number>): Uint32Array {
  const mins = new Uint32Array(PERMUTATIONS)
  const count = hashes.length
  // mix32 inlined on int32 values: an unsigned minimum is a signed minimum once the top bit is flipped, and V8
  // keeps int32 in registers where the `>>> 0` results (up to 2^32) were doubles.
  for (let p = 0; p < PERMUTATIONS; p++) {
    const seed = SEEDS[p]! | 0
    let min = 0x7fffffff
    for (let i = 0; i < count; i++) {
      let h = hashes[i]! ^ seed
      h ^= h >>> 16
      h = Math.imul(h, 0x85ebca6b)
      h ^= h >>> 13
      h = Math.imul(h, 0xc2b2ae35)
      h ^= h >>> 16
      h ^= 0x80000000
      if (h < min) min = h
    }
    mins[p] = (min ^ 0x80000000) >>> 0
  }
  const keys = new Uint32Array(BANDS)
  for (let b = 0; b < BANDS; b++) {
    let h = mix32(b + 1)
    for (let r = 0; r < ROWS_PER_BAND; r++) h = mix32(h ^ mins[b * ROWS_PER_BAND + r]!)
    keys[b] = h
  }
  return keys
}

export function jaccard(a: Set<number>, b: Set<number>): number {
  if (a.size === 0 && b.size === 0) return 1
  let inter = 0
  const [small, large] = a.size < b.size ? [a, b] : [b, a]
  for (const x of small) if (large.has(x)) inter++
  return inter / (a.size + b.size - inter)
}
