import { ProtocolError } from '../errors.js'

/**
 * A strict RLP reader with geth's `rlp.Stream` rules. op-node decodes batches and span-batch transactions with geth's
 * decoder, so which inputs are rejected (and at which stage) is consensus: a non-canonical size, a leading zero in an
 * integer or a string where a list belongs must fail here exactly as it fails there. viem's `fromRlp` is lenient, so
 * it is only used for encoding (`toRlp`).
 */
export class RlpError extends ProtocolError {
  override name = 'RlpError'
}

/** The item claims more bytes than its input (or its enclosing list) holds. */
export class RlpTruncatedError extends RlpError {
  override name = 'RlpTruncatedError'
}

/** A size or integer is not in its shortest form (geth `ErrCanonSize` / `ErrCanonInt`). */
export class RlpNonCanonicalError extends RlpError {
  override name = 'RlpNonCanonicalError'
}

/** A list where a string belongs, or the reverse (geth `ErrExpectedString` / `ErrExpectedList`). */
export class RlpKindError extends RlpError {
  override name = 'RlpKindError'
}

/** An integer wider than its type (geth `errUintOverflow`). */
export class RlpIntegerOverflowError extends RlpError {
  override name = 'RlpIntegerOverflowError'
}

/** A fixed-size byte array of the wrong length, or a struct-list with the wrong number of elements. */
export class RlpShapeError extends RlpError {
  override name = 'RlpShapeError'
}

export type RlpHeader = {
  kind: 'string' | 'list'
  /** First byte of the payload; for a single byte below 0x80 the byte itself. */
  start: number
  /** One past the last payload byte: the offset of the next item. */
  end: number
  /** The item is one byte below 0x80, encoded as itself. */
  single: boolean
}

/**
 * Reads the header of the item at `offset`, checking only what geth's `Stream.Kind` checks (canonical long-form
 * sizes); payload content is not looked at, which matters for `Stream.Raw` users such as span-batch tx data.
 * With `boundPayload` false the payload may extend past `limit`, so a caller can apply its own size limit first.
 */
export function readRlpHeader(bytes: Uint8Array, offset: number, limit = bytes.length, boundPayload = true): RlpHeader {
  if (offset >= limit) throw new RlpTruncatedError('rlp item missing', { offset })
  const b = bytes[offset]!
  if (b < 0x80) return { kind: 'string', start: offset, end: offset + 1, single: true }
  let kind: RlpHeader['kind']
  let start: number
  let size: number
  if (b < 0xb8 || (b >= 0xc0 && b < 0xf8)) {
    kind = b < 0xb8 ? 'string' : 'list'
    size = b - (b < 0xb8 ? 0x80 : 0xc0)
    start = offset + 1
  } else {
    kind = b < 0xc0 ? 'string' : 'list'
    const sizeLength = b - (b < 0xc0 ? 0xb7 : 0xf7)
    if (offset + 1 + sizeLength > limit) throw new RlpTruncatedError('rlp size truncated', { offset })
    if (bytes[offset + 1] === 0) throw new RlpNonCanonicalError('rlp size has a leading zero', { offset })
    size = 0
    for (let i = 0; i < sizeLength; i++) size = size * 256 + bytes[offset + 1 + i]!
    if (size < 56) throw new RlpNonCanonicalError('rlp long-form size below 56', { offset, size })
    start = offset + 1 + sizeLength
  }
  if (boundPayload && size > limit - start) throw new RlpTruncatedError('rlp item exceeds its input', { offset, size })
  return { kind, start, end: start + size, single: false }
}

/** Reads a byte string (geth `Stream.Bytes`): a one-byte string below 0x80 must be encoded as itself. */
export function readRlpBytes(bytes: Uint8Array, offset: number, limit = bytes.length): RlpHeader {
  const header = readRlpHeader(bytes, offset, limit)
  if (header.kind !== 'string') throw new RlpKindError('expected rlp string, got list', { offset })
  if (!header.single && header.end - header.start === 1 && bytes[header.start]! < 0x80) {
    throw new RlpNonCanonicalError('single byte below 0x80 must not have a string prefix', { offset })
  }
  return header
}

/** Reads a list header and returns the offsets of its elements (their headers only checked for size). */
export function readRlpList(bytes: Uint8Array, offset: number, limit = bytes.length): RlpHeader & { items: number[] } {
  const header = readRlpHeader(bytes, offset, limit)
  if (header.kind !== 'list') throw new RlpKindError('expected rlp list, got string', { offset })
  const items: number[] = []
  for (let at = header.start; at < header.end; at = readRlpHeader(bytes, at, header.end).end) items.push(at)
  return { ...header, items }
}

/** `count` element offsets, typed as a tuple so each one is known to exist. */
export type RlpOffsets<N extends number, R extends number[] = []> = R['length'] extends N
  ? R
  : RlpOffsets<N, [...R, number]>

/** Reads a struct-shaped list of exactly `count` elements (geth's "too few" / "too many elements"). */
export function readRlpStruct<N extends number>(
  bytes: Uint8Array,
  offset: number,
  count: N,
  limit = bytes.length,
): RlpOffsets<N> {
  const { items } = readRlpList(bytes, offset, limit)
  if (items.length !== count) {
    throw new RlpShapeError(`rlp list has ${items.length} elements, expected ${count}`, { offset, count: items.length })
  }
  return items as RlpOffsets<N>
}

/** geth `rlp.DecodeBytes` of a struct: one list of `count` elements that must end exactly where the input ends. */
export function readRlpStructSpanningInput<N extends number>(
  bytes: Uint8Array,
  offset: number,
  count: N,
): RlpOffsets<N> {
  const end = readRlpHeader(bytes, offset).end
  if (end !== bytes.length) {
    throw new RlpShapeError('input contains more than one value', { offset: end, trailing: bytes.length - end })
  }
  return readRlpStruct(bytes, offset, count)
}

/** A big-endian unsigned integer with geth's canonical-integer rules; `maxBytes` bounds it (8 for uint64). */
export function readRlpInteger(bytes: Uint8Array, offset: number, maxBytes = Number.POSITIVE_INFINITY): bigint {
  const header = readRlpHeader(bytes, offset)
  if (header.kind !== 'string') throw new RlpKindError('expected rlp integer, got list', { offset })
  if (header.single) {
    if (bytes[offset] === 0) throw new RlpNonCanonicalError('integer zero must be encoded as 0x80', { offset })
    return BigInt(bytes[offset]!)
  }
  const size = header.end - header.start
  if (size > maxBytes) throw new RlpIntegerOverflowError(`integer wider than ${maxBytes} bytes`, { offset, size })
  if (size > 0 && bytes[header.start] === 0) throw new RlpNonCanonicalError('integer has a leading zero', { offset })
  if (size === 1 && bytes[header.start]! < 0x80) {
    throw new RlpNonCanonicalError('integer below 0x80 must be encoded as itself', { offset })
  }
  return bytesToBigInt(bytes, header.start, header.end)
}

/** A byte array of exactly `length` bytes (geth `decodeByteArray`), e.g. a hash or an address. */
export function readRlpFixedBytes(bytes: Uint8Array, offset: number, length: number): Uint8Array {
  const header = readRlpBytes(bytes, offset)
  const size = header.end - header.start
  if (size !== length) throw new RlpShapeError(`expected ${length} bytes, got ${size}`, { offset, size })
  return bytes.subarray(header.start, header.end)
}

export function bytesToBigInt(bytes: Uint8Array, start = 0, end = bytes.length): bigint {
  // Six bytes at a time stay exact in a double; most integers (nonces, gas, fees) fit one such step.
  let value = 0n
  let i = start
  for (; i + 6 <= end; i += 6) {
    let chunk = 0
    for (let j = 0; j < 6; j++) chunk = chunk * 256 + bytes[i + j]!
    value = i === start ? BigInt(chunk) : (value << 48n) | BigInt(chunk)
  }
  if (i === end) return value
  let tail = 0
  for (let j = i; j < end; j++) tail = tail * 256 + bytes[j]!
  return i === start ? BigInt(tail) : (value << BigInt(8 * (end - i))) | BigInt(tail)
}

/** The minimal big-endian bytes of `value` (empty for zero), as RLP integers are written. */
export function bigIntToMinimalBytes(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0)
  if (value < 0x1000000000000n) {
    let n = Number(value)
    let length = 0
    for (let m = n; m > 0; m = Math.floor(m / 256)) length++
    const out = new Uint8Array(length)
    for (let i = length - 1; i >= 0; i--, n = Math.floor(n / 256)) out[i] = n % 256
    return out
  }
  let hex = value.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  const buffer = Buffer.from(hex, 'hex')
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length)
}
