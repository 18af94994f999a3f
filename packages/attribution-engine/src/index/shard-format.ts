import { createHash } from 'node:crypto'
import { endianness } from 'node:os'
import type { Hex } from 'viem'
import { ShardFormatError } from '../errors.js'
import { allocateShard, ROW_KEY_WORDS, type ShardMemory, shardViews } from './shard.js'

/**
 * On-disk shard format, version 1 (all integers little-endian; see README "Index format"):
 *
 *   0  magic "OPLSHRD1"        8 bytes
 *   8  positions               u32   tokens + one separator per row
 *  12  rows                    u32
 *  16  vocab                   u32   distinct global ids in the shard
 *  20  tokenBytes              u8    2 (vocab < 65,536) or 3
 *  21  saBytes                 u8    3 (positions ≤ 2^24) or 4
 *  22  reserved                u16   0
 *  24  rowKeyWords             u32   dedupe key words per row
 *  28  reserved                u32   0
 *  32  vocab       u32 × vocab           global id of local id i+1, ascending
 *      rowStarts   u32 × (rows + 1)
 *      rowIds      u32 × rows            global row ids
 *      rowKeys     u32 × rows × rowKeyWords
 *      tokens      tokenBytes × positions  local ids, 0 = row separator
 *      sa          saBytes × positions     suffix array
 *
 * The file is named by the SHA-256 of its bytes. With 16-bit tokens and 3-byte pointers a shard costs 5 bytes per
 * position plus ~0.5 byte per token of row tables for 100-token rows.
 */
export const SHARD_MAGIC = 'OPLSHRD1'
const HEADER_BYTES = 32

if (endianness() !== 'LE') throw new ShardFormatError('the shard format needs a little-endian host')

/** A shard ready to store: its memory, its file bytes and their SHA-256 (the file name). */
export type EncodedShard = { mem: ShardMemory; file: Uint8Array; hash: Hex }

/** Encodes and hashes a built shard; the file lives in shared memory so a worker hands it over without a copy. */
export function encodeShard(mem: ShardMemory): EncodedShard {
  const file = encodeShardFile(mem, true)
  return { mem, file, hash: sha256Hex(file) }
}

export function encodeShardFile(mem: ShardMemory, shared = false): Uint8Array {
  const v = shardViews(mem)
  const tokenBytes = mem.tokenBytes === 2 ? 2 : 3
  const saBytes = mem.positions <= 2 ** 24 ? 3 : 4
  const tables = (mem.vocab + mem.rows + 1 + mem.rows + mem.rows * ROW_KEY_WORDS) * 4
  const size = HEADER_BYTES + tables + mem.positions * (tokenBytes + saBytes)
  const out = shared ? new Uint8Array(new SharedArrayBuffer(size)) : new Uint8Array(size)
  const dv = new DataView(out.buffer)
  out.set(new TextEncoder().encode(SHARD_MAGIC), 0)
  dv.setUint32(8, mem.positions, true)
  dv.setUint32(12, mem.rows, true)
  dv.setUint32(16, mem.vocab, true)
  dv.setUint8(20, tokenBytes)
  dv.setUint8(21, saBytes)
  dv.setUint32(24, ROW_KEY_WORDS, true)
  let o = HEADER_BYTES
  for (const table of [v.vocab, v.rowStarts, v.rowIds, v.rowKeys]) {
    out.set(new Uint8Array(table.buffer, table.byteOffset, table.byteLength), o)
    o += table.byteLength
  }
  o = packInts(v.tokens, tokenBytes, out, o)
  packInts(v.sa, saBytes, out, o)
  return out
}

export function decodeShardFile(bytes: Uint8Array): ShardMemory {
  if (bytes.length < HEADER_BYTES || new TextDecoder().decode(bytes.subarray(0, 8)) !== SHARD_MAGIC)
    throw new ShardFormatError('not a shard file', { length: bytes.length })
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const positions = dv.getUint32(8, true)
  const rows = dv.getUint32(12, true)
  const vocab = dv.getUint32(16, true)
  const tokenBytes = dv.getUint8(20)
  const saBytes = dv.getUint8(21)
  const keyWords = dv.getUint32(24, true)
  if (keyWords !== ROW_KEY_WORDS || (tokenBytes !== 2 && tokenBytes !== 3) || (saBytes !== 3 && saBytes !== 4))
    throw new ShardFormatError('unsupported shard layout', { tokenBytes, saBytes, keyWords })
  const tables = (vocab + rows + 1 + rows + rows * ROW_KEY_WORDS) * 4
  const expected = HEADER_BYTES + tables + positions * (tokenBytes + saBytes)
  if (bytes.length !== expected) throw new ShardFormatError('shard file truncated', { expected, actual: bytes.length })
  const mem = allocateShard({ positions, rows, vocab, tokenBytes: tokenBytes === 2 ? 2 : 4 })
  const v = shardViews(mem)
  let o = HEADER_BYTES
  for (const table of [v.vocab, v.rowStarts, v.rowIds, v.rowKeys]) {
    new Uint8Array(table.buffer, table.byteOffset, table.byteLength).set(bytes.subarray(o, o + table.byteLength))
    o += table.byteLength
  }
  o = unpackInts(bytes, o, tokenBytes, v.tokens)
  unpackInts(bytes, o, saBytes, v.sa)
  return mem
}

export function sha256Hex(bytes: Uint8Array): Hex {
  return `0x${createHash('sha256').update(bytes).digest('hex')}`
}

function packInts(src: ArrayLike<number>, width: number, out: Uint8Array, o: number): number {
  const n = src.length
  if (width === 2) {
    for (let i = 0; i < n; i++, o += 2) {
      const x = src[i]!
      out[o] = x & 0xff
      out[o + 1] = x >>> 8
    }
  } else if (width === 3) {
    for (let i = 0; i < n; i++, o += 3) {
      const x = src[i]!
      out[o] = x & 0xff
      out[o + 1] = (x >>> 8) & 0xff
      out[o + 2] = x >>> 16
    }
  } else {
    for (let i = 0; i < n; i++, o += 4) {
      const x = src[i]!
      out[o] = x & 0xff
      out[o + 1] = (x >>> 8) & 0xff
      out[o + 2] = (x >>> 16) & 0xff
      out[o + 3] = x >>> 24
    }
  }
  return o
}

function unpackInts(bytes: Uint8Array, o: number, width: number, dst: Uint16Array | Uint32Array): number {
  const n = dst.length
  if (width === 2) {
    for (let i = 0; i < n; i++, o += 2) dst[i] = bytes[o]! | (bytes[o + 1]! << 8)
  } else if (width === 3) {
    for (let i = 0; i < n; i++, o += 3) dst[i] = bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16)
  } else {
    for (let i = 0; i < n; i++, o += 4)
      dst[i] = (bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24)) >>> 0
  }
  return o
}
