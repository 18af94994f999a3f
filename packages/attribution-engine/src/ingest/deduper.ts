import { createHash } from 'node:crypto'
import { ROW_KEY_WORDS } from '../index/shard.js'
import { BANDS, bandKeys, jaccard, shingles } from './minhash.js'
import { normalizeRow } from './split-rows.js'

export type DuplicateVerdict = { kind: 'unique' } | { kind: 'exact' | 'near'; of: number; similarity: number }

export type RowKeys = Uint32Array

/**
 * Exact (normalized-text hash) and near (MinHash LSH, verified by exact shingle Jaccard) duplicate detection over
 * every accepted row. The first row to register a text owns it; later copies are refused.
 */
export class Deduper {
  private readonly exact = new Map<string, number>()
  private readonly bands = new Map<string, number[]>()
  /** rows accepted but not yet in a shard */
  private readonly pending = new Map<number, ArrayLike<number>>()

  constructor(
    /** the global token ids of an accepted row, to verify a near-duplicate candidate */
    private readonly rowTokens: (rowId: number) => ArrayLike<number> | undefined,
    private readonly nearThreshold = 0.8,
  ) {}

  /** The dedupe keys stored with a row: 2 words of the exact hash, then the band keys. */
  keys(text: string, tokens: ArrayLike<number>): RowKeys {
    const keys = new Uint32Array(ROW_KEY_WORDS)
    const digest = createHash('sha256').update(normalizeRow(text)).digest()
    keys[0] = digest.readUInt32LE(0)
    keys[1] = digest.readUInt32LE(4)
    keys.set(bandKeys(shingles(tokens)), 2)
    return keys
  }

  check(keys: RowKeys, tokens: ArrayLike<number>): DuplicateVerdict {
    const owner = this.exact.get(exactKey(keys))
    if (owner !== undefined) return { kind: 'exact', of: owner, similarity: 1 }
    let mine: Set<number> | undefined
    const tried = new Set<number>()
    for (let b = 0; b < BANDS; b++) {
      for (const candidate of this.bands.get(bandKey(keys, b)) ?? []) {
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
      const k = bandKey(keys, b)
      const list = this.bands.get(k)
      if (list) list.push(rowId)
      else this.bands.set(k, [rowId])
    }
  }
}

const exactKey = (k: RowKeys): string => `${k[0]}:${k[1]}`
const bandKey = (k: RowKeys, b: number): string => `${b}:${k[2 + b]}`
