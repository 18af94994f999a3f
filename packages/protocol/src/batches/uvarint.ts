import { ProtocolError } from '../errors.js'

/** Go's `binary.MaxVarintLen64`: a uint64 takes at most 10 base-128 groups. */
export const MAX_UVARINT_LENGTH = 10

const MAX_UINT64 = (1n << 64n) - 1n

/** The input ended inside a uvarint (Go `io.ErrUnexpectedEOF` / `io.EOF`). */
export class UvarintTruncatedError extends ProtocolError {
  override name = 'UvarintTruncatedError'
}

/** The uvarint does not fit 64 bits (Go `binary.errOverflow`). */
export class UvarintOverflowError extends ProtocolError {
  override name = 'UvarintOverflowError'
}

/** Writes `value` (a uint64) as a protobuf base-128 varint, low group first, as Go's `binary.PutUvarint`. */
export function encodeUvarint(value: bigint | number): Uint8Array {
  let v = BigInt(value)
  if (v < 0n || v > MAX_UINT64) throw new UvarintOverflowError('uvarint value outside uint64', { value: v })
  const out: number[] = []
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80)
    v >>= 7n
  }
  out.push(Number(v))
  return Uint8Array.from(out)
}

/**
 * Reads a uvarint at `offset` with Go's `binary.ReadUvarint` rules. Like Go it accepts non-minimal encodings (e.g.
 * `0x80 0x00` for zero): op-node reads span batches this way, so rejecting them would split consensus.
 */
export function decodeUvarint(bytes: Uint8Array, offset: number): { value: bigint; next: number } {
  // Fast path: values below 2^49 (seven groups) stay exact in a double.
  let small = 0
  let scale = 1
  for (let i = 0; i < 7; i++) {
    const at = offset + i
    if (at >= bytes.length) throw new UvarintTruncatedError('input ended inside a uvarint', { offset })
    const b = bytes[at]!
    if (b < 0x80) return { value: BigInt(small + b * scale), next: at + 1 }
    small += (b & 0x7f) * scale
    scale *= 128
  }
  let value = BigInt(small)
  for (let i = 7; i < MAX_UVARINT_LENGTH; i++) {
    const at = offset + i
    if (at >= bytes.length) throw new UvarintTruncatedError('input ended inside a uvarint', { offset })
    const b = bytes[at]!
    if (b < 0x80) {
      if (i === MAX_UVARINT_LENGTH - 1 && b > 1) throw new UvarintOverflowError('uvarint overflows uint64', { offset })
      return { value: value | (BigInt(b) << BigInt(7 * i)), next: at + 1 }
    }
    value |= BigInt(b & 0x7f) << BigInt(7 * i)
  }
  throw new UvarintOverflowError('uvarint overflows uint64', { offset })
}
