import { ProtocolError } from '../errors.js'

/** The input ended inside a bitlist. */
export class BitlistTruncatedError extends ProtocolError {
  override name = 'BitlistTruncatedError'
}

/** A bit is set above the bitlist's length (op-node: "bitfield has N bits, but expected no more than L"). */
export class BitlistOverflowError extends ProtocolError {
  override name = 'BitlistOverflowError'
}

/** Bytes a bitlist of `length` bits takes: the big-endian integer is left-padded to whole bytes. */
export function bitlistByteLength(length: number): number {
  return Math.ceil(length / 8)
}

/**
 * Encodes a span-batch bitlist: one big-endian integer whose bit i (from the least significant) is element i,
 * left-padded with zero bits to whole bytes.
 */
export function encodeBitlist(bits: readonly boolean[]): Uint8Array {
  const out = new Uint8Array(bitlistByteLength(bits.length))
  for (let i = 0; i < bits.length; i++) {
    if (bits[i]) out[out.length - 1 - (i >> 3)]! |= 1 << (i & 7)
  }
  return out
}

/** Decodes a bitlist of `length` bits at `offset`; a set padding bit is invalid, as op-node checks `BitLen()`. */
export function decodeBitlist(bytes: Uint8Array, offset: number, length: number): { bits: boolean[]; next: number } {
  const byteLength = bitlistByteLength(length)
  if (bytes.length - offset < byteLength) {
    throw new BitlistTruncatedError('input ended inside a bitlist', { offset, length })
  }
  const padding = byteLength * 8 - length
  if (padding > 0 && bytes[offset]! >> (8 - padding) !== 0) {
    throw new BitlistOverflowError(`bitlist has bits set above its length ${length}`, { offset, length })
  }
  const bits = new Array<boolean>(length)
  const last = offset + byteLength - 1
  for (let i = 0; i < length; i++) bits[i] = ((bytes[last - (i >> 3)]! >> (i & 7)) & 1) === 1
  return { bits, next: offset + byteLength }
}
