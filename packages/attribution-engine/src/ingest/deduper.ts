import { BANDS, jaccard, shingles } from './minhash.js'
import type { RowKeys } from './row-keys.js'

export type DuplicateVerdict = { kind: 'unique' } | { kind: 'exact' | 'near'; of: number; similarity: number }

/**
 * Exact (normalized-text hash) and near (MinHash LSH, verified by exact shingle Jaccard) duplicate detection over
 * every accepted row. The first row to register a text owns it; later copies are refused.
 */
export class Deduper {
  private readonly exact = new Map<string, number>()
  /** per band: band key → the row holding it, or the rows in acceptance order (most keys have one row) */
  private readonly bands = Array.from({ length: BANDS }, () => new Map<number, number | number[]>())
  /** rows accepted but not yet in a shard */
  private readonly pending = new Map<number, ArrayLike<number>>()

  constructor(
    /** the global token ids of an accepted row, to verify a near-duplicate candidate */
    private readonly rowTokens: (rowId: number) => ArrayLike<number> | undefined,
    private readonly nearThreshold = 0.8,
  ) {}

  check(keys: RowKeys, tokens: ArrayLike<number>): DuplicateVerdict {
    const owner = this.exact.get(exactKey(keys))
    if (owner !== undefined) return { kind: 'exact', of: owner, similarity: 1 }
    let mine: Set<number> | undefined
    let tried: Set<number> | undefined
    for (let b = 0; b < BANDS; b++) {
      const held = this.bands[b]!.get(keys[2 + b]!)
      if (held === undefined) continue
      for (const candidate of typeof held === 'number' ? [held] : held) {
        tried ??= new Set()
        if (tried.has(candidate)) continue
        tried.add(candidate)
        const other = this.pending.get(candidate) ?? this.rowTokens(candidate)
        if (!other) continue
        mine ??= shingles(tokens)
        const similarity = jaccard(mine, shingles(other))
        if (similarity >= this.nearThreshold) return { kind: 'near', of: candidate, similarity }
      }
    }
    return { kind: 'unique' }
  }

  addPending(rowId: number, tokens: ArrayLike<number>): void {
    this.pending.set(rowId, tokens)
  }

  /** Called once the pending rows are searchable in a shard (the row-token lookup then finds them). */
  clearPending(): void {
    this.pending.clear()
  }

  add(rowId: number, keys: RowKeys): void {
    const e = exactKey(keys)
    if (!this.exact.has(e)) this.exact.set(e, rowId)
    for (let b = 0; b < BANDS; b++) {
      const band = this.bands[b]!
      const k = keys[2 + b]!
      const held = band.get(k)
      if (held === undefined) band.set(k, rowId)
      else if (typeof held === 'number') band.set(k, [held, rowId])
      else held.push(rowId)
    }
  }
}

const exactKey = (k: RowKeys): string => `${k[0]}:${k[1]}`
