import type { TokenArray } from '../tokenizer/create-tokenizer.js'
import { buildSuffixArray } from './sais.js'

/** Words of dedupe keys kept per row: 2 for the exact-text hash, the rest MinHash LSH band keys. */
export const ROW_KEY_WORDS = 10

/** Largest shard: SA pointers stay 3 bytes on disk below 2^24 positions. */
export const MAX_SHARD_POSITIONS = 2 ** 24 - 1

/**
 * A shard in memory: every array lives in one SharedArrayBuffer so worker threads read it without copies and a
 * respawned worker gets it back for free. Local token ids are a dense remap of the shard's global ids (1..V;
 * 0 separates rows), which keeps tokens at 16 bits for most shards even with a 100k+ vocabulary.
 */
export type ShardMemory = {
  buffer: SharedArrayBuffer
  positions: number
  rows: number
  vocab: number
  tokenBytes: 2 | 4
}

export type ShardViews = {
  /** global id of local id i+1, ascending */
  vocab: Uint32Array
  /** local ids, 0 after every row */
  tokens: TokenArray
  sa: Uint32Array
  /** position of each row's first token; rowStarts[rows] = positions */
  rowStarts: Uint32Array
  /** global row id of each row */
  rowIds: Uint32Array
  /** ROW_KEY_WORDS per row */
  rowKeys: Uint32Array
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8

function layout(m: Omit<ShardMemory, 'buffer'>) {
  const vocab = 0
  const rowStarts = align8(vocab + m.vocab * 4)
  const rowIds = align8(rowStarts + (m.rows + 1) * 4)
  const rowKeys = align8(rowIds + m.rows * 4)
  const tokens = align8(rowKeys + m.rows * ROW_KEY_WORDS * 4)
  const sa = align8(tokens + m.positions * m.tokenBytes)
  const end = align8(sa + m.positions * 4)
  return { vocab, rowStarts, rowIds, rowKeys, tokens, sa, end }
}

export function allocateShard(m: Omit<ShardMemory, 'buffer'>): ShardMemory {
  return { ...m, buffer: new SharedArrayBuffer(layout(m).end) }
}

export function shardViews(m: ShardMemory): ShardViews {
  const o = layout(m)
  const b = m.buffer
  return {
    vocab: new Uint32Array(b, o.vocab, m.vocab),
    rowStarts: new Uint32Array(b, o.rowStarts, m.rows + 1),
    rowIds: new Uint32Array(b, o.rowIds, m.rows),
    rowKeys: new Uint32Array(b, o.rowKeys, m.rows * ROW_KEY_WORDS),
    tokens: m.tokenBytes === 2 ? new Uint16Array(b, o.tokens, m.positions) : new Uint32Array(b, o.tokens, m.positions),
    sa: new Uint32Array(b, o.sa, m.positions),
  }
}

export type ShardRowsInput = {
  /** concatenated global token ids of all rows */
  tokens: Uint32Array
  /** row i spans tokens[offsets[i], offsets[i+1]) */
  offsets: Uint32Array
  rowIds: Uint32Array
  rowKeys: Uint32Array
}

/** Builds a shard: dense local ids, rows joined by separators, SA-IS over the local string. */
export function buildShard(input: ShardRowsInput): ShardMemory {
  const rows = input.rowIds.length
  const contentTokens = input.tokens.length
  const positions = contentTokens + rows
  let maxGlobal = 0
  for (let i = 0; i < contentTokens; i++) if (input.tokens[i]! > maxGlobal) maxGlobal = input.tokens[i]!
  const seen = new Uint8Array(maxGlobal + 1)
  for (let i = 0; i < contentTokens; i++) seen[input.tokens[i]!] = 1
  const toLocal = new Uint32Array(maxGlobal + 1)
  let vocab = 0
  for (let g = 0; g <= maxGlobal; g++) if (seen[g] === 1) toLocal[g] = ++vocab
  const mem = allocateShard({ positions, rows, vocab, tokenBytes: vocab < 65_536 ? 2 : 4 })
  const v = shardViews(mem)
  for (let g = 0; g <= maxGlobal; g++) if (seen[g] === 1) v.vocab[toLocal[g]! - 1] = g
  let p = 0
  for (let r = 0; r < rows; r++) {
    v.rowStarts[r] = p
    for (let i = input.offsets[r]!; i < input.offsets[r + 1]!; i++) v.tokens[p++] = toLocal[input.tokens[i]!]!
    v.tokens[p++] = 0
  }
  v.rowStarts[rows] = p
  v.rowIds.set(input.rowIds)
  v.rowKeys.set(input.rowKeys)
  // written straight into the shared buffer (positions < 2^31, so the Int32 view reads the same values)
  buildSuffixArray(v.tokens, vocab, new Int32Array(v.sa.buffer, v.sa.byteOffset, v.sa.length))
  return mem
}

/** The global token ids of one row of a shard (for near-duplicate verification and merges). */
export function rowTokens(v: ShardViews, row: number): Uint32Array {
  const start = v.rowStarts[row]!
  const end = v.rowStarts[row + 1]! - 1
  const out = new Uint32Array(end - start)
  for (let i = start; i < end; i++) out[i - start] = v.vocab[v.tokens[i]! - 1]!
  return out
}

/** Concatenates the rows of several shards back into build input (for merges). */
export function shardRows(shards: ShardMemory[]): ShardRowsInput {
  let tokens = 0
  let rows = 0
  for (const s of shards) {
    tokens += s.positions - s.rows
    rows += s.rows
  }
  const out: ShardRowsInput = {
    tokens: new Uint32Array(tokens),
    offsets: new Uint32Array(rows + 1),
    rowIds: new Uint32Array(rows),
    rowKeys: new Uint32Array(rows * ROW_KEY_WORDS),
  }
  let t = 0
  let r = 0
  for (const s of shards) {
    const v = shardViews(s)
    for (let row = 0; row < s.rows; row++, r++) {
      out.offsets[r] = t
      for (let i = v.rowStarts[row]!; i < v.rowStarts[row + 1]! - 1; i++) out.tokens[t++] = v.vocab[v.tokens[i]! - 1]!
      out.rowIds[r] = v.rowIds[row]!
    }
    out.rowKeys.set(v.rowKeys, (r - s.rows) * ROW_KEY_WORDS)
  }
  out.offsets[rows] = t
  return out
}

/** Joins tokenized rows into build input. */
export function concatRows(
  chunks: readonly Uint32Array[],
  rowIds: readonly number[],
  keys: readonly Uint32Array[],
): ShardRowsInput {
  const offsets = new Uint32Array(chunks.length + 1)
  chunks.forEach((c, i) => {
    offsets[i + 1] = offsets[i]! + c.length
  })
  const tokens = new Uint32Array(offsets[chunks.length]!)
  chunks.forEach((c, i) => {
    tokens.set(c, offsets[i])
  })
  const rowKeys = new Uint32Array(keys.length * ROW_KEY_WORDS)
  keys.forEach((k, i) => {
    rowKeys.set(k, i * ROW_KEY_WORDS)
  })
  return { tokens, offsets, rowIds: Uint32Array.from(rowIds), rowKeys }
}
