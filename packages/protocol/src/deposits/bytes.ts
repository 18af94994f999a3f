import { type ByteArray, bytesToBigInt, type Hex, hexToBytes, numberToBytes } from 'viem'

/** Hex (even length, `0x` prefixed) or raw bytes. */
export type BytesLike = Hex | ByteArray

export const UINT64_MAX = 2n ** 64n - 1n
export const UINT256_MAX = 2n ** 256n - 1n

const hexPattern = /^0x(?:[0-9a-fA-F]{2})*$/

/**
 * Bytes of `input`, or undefined when it is neither a Uint8Array nor strict even-length hex. viem's `hexToBytes`
 * silently left-pads odd-length hex, which would turn a truncated payload into a different valid one.
 */
export function toBytesOrUndefined(input: BytesLike): Uint8Array | undefined {
  if (input instanceof Uint8Array) return input
  if (typeof input !== 'string' || !hexPattern.test(input)) return undefined
  return hexToBytes(input)
}

/** Big-endian bytes without leading zeros; 0 is the empty string, as RLP wants it. */
export function uintToMinimalBytes(value: bigint): Uint8Array {
  return value === 0n ? new Uint8Array(0) : numberToBytes(value)
}

/** `value` big-endian in exactly `size` bytes; the caller has checked the range. */
export function uintToFixedBytes(value: bigint, size: number): Uint8Array {
  return numberToBytes(value, { size })
}

/** Big-endian unsigned integer in `bytes[start, end)`; the empty range is 0. */
export function readUint(bytes: Uint8Array, start: number, end: number): bigint {
  return end > start ? bytesToBigInt(bytes.subarray(start, end)) : 0n
}

export function isAllZero(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte === 0)
}

export function isUint(value: unknown, max: bigint): value is bigint {
  return typeof value === 'bigint' && value >= 0n && value <= max
}
