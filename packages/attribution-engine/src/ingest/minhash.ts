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

/** The set of hashed token 5-grams of a row (the whole row is one shingle when it is shorter). */
export function shingles(tokens: ArrayLike<number>): Set<number> {
  const out = new Set<number>()
  const n = tokens.length
  const k = Math.min(SHINGLE_TOKENS, n)
  for (let i = 0; i + k <= n; i++) {
    let h = 0x811c9dc5
    for (let j = 0; j < k; j++) h = mix32(h ^ tokens[i + j]!)
    out.add(h)
  }
  return out
}

/**
 * LSH band keys of the row's MinHash signature (32 permutations, 8 bands of 4): rows with Jaccard 0.8 share a band
 * with probability 0.985, rows with Jaccard 0.3 with 0.06; candidates are then verified exactly.
 */
export function bandKeys(set: Set<number>): Uint32Array {
  const mins = new Uint32Array(PERMUTATIONS).fill(0xffffffff)
  for (const s of set)
    for (let p = 0; p < PERMUTATIONS; p++) {
      const h = mix32(s ^ SEEDS[p]!)
      if (h < mins[p]!) mins[p] = h
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
