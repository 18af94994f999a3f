import { hash } from 'node:crypto'
import { ROW_KEY_WORDS } from '../index/shard.js'
import { bandKeys, shingleHashes } from './minhash.js'
import { normalizeRow } from './split-rows.js'

/** A row's dedupe keys (ROW_KEY_WORDS words): 2 words of the exact hash, then the MinHash LSH band keys. */
export type RowKeys = Uint32Array

/** Keys of a text row: the exact hash is over its normalized text. */
export function textRowKeys(text: string, tokens: ArrayLike<number>): RowKeys {
  return rowKeys(hash('sha256', normalizeRow(text), 'buffer'), tokens)
}

/**
 * Keys of a row that arrives tokenized, with no text: the exact hash is over its ids written as decimal text
 * joined by commas ("12,7,300"), which normalization leaves unchanged. Written straight into bytes: building
 * that string and normalizing it cost more than the MinHash.
 */
export function tokenRowKeys(tokens: ArrayLike<number>): RowKeys {
  return rowKeys(hash('sha256', decimalIds(tokens), 'buffer'), tokens)
}

/** `tokenRowKeys` of every row of a concatenation (row i is tokens[offsets[i], offsets[i+1])), for a worker. */
export function tokenRowKeysOfRows(tokens: Uint32Array, offsets: Uint32Array): Uint32Array {
  const rows = offsets.length - 1
  const out = new Uint32Array(rows * ROW_KEY_WORDS)
  for (let r = 0; r < rows; r++) out.set(tokenRowKeys(tokens.subarray(offsets[r]!, offsets[r + 1]!)), r * ROW_KEY_WORDS)
  return out
}

function rowKeys(digest: Buffer, tokens: ArrayLike<number>): RowKeys {
  const keys = new Uint32Array(ROW_KEY_WORDS)
  keys[0] = digest.readUInt32LE(0)
  keys[1] = digest.readUInt32LE(4)
  keys.set(bandKeys(shingleHashes(tokens)), 2)
  return keys
}

let digits = Buffer.alloc(4096)

/** ASCII of the ids joined by commas, in a scratch buffer reused across rows (valid until the next call). */
function decimalIds(tokens: ArrayLike<number>): Buffer {
  const n = tokens.length
  if (digits.length < n * 11) digits = Buffer.alloc(n * 11)
  const out = digits
  let o = 0
  for (let i = 0; i < n; i++) {
    if (i > 0) out[o++] = 44 // ','
    const x = tokens[i]!
    let width = 1
    for (let p = 10; p <= x; p *= 10) width++
    let rest = x
    for (let d = o + width - 1; d >= o; d--) {
      out[d] = 48 + (rest % 10)
      rest = Math.floor(rest / 10)
    }
    o += width
  }
  return out.subarray(0, o)
}
