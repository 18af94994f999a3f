import { type Address, bytesToHex, getAddress, type Hex } from 'viem'
import { isAllZero, readUint } from '../deposits/bytes.js'
import { WordPaddingError } from './errors.js'

/**
 * Readers for single 32-byte ABI words with op-service `solabi`'s strictness: a uint64 or address word with non-zero
 * padding is rejected rather than truncated. `offset` is where the word starts; the caller has checked the length.
 */
export function readUint64Word(bytes: Uint8Array, offset: number, field: string): bigint {
  return readPaddedUint(bytes, offset, 8, field)
}

export function readUint16Word(bytes: Uint8Array, offset: number, field: string): number {
  return Number(readPaddedUint(bytes, offset, 2, field))
}

export function readAddressWord(bytes: Uint8Array, offset: number, field: string): Address {
  assertZeroPadding(bytes, offset, 12, field)
  return getAddress(bytesToHex(bytes.subarray(offset + 12, offset + 32)))
}

export function readWord(bytes: Uint8Array, offset: number): Hex {
  return bytesToHex(bytes.subarray(offset, offset + 32))
}

function readPaddedUint(bytes: Uint8Array, offset: number, size: number, field: string): bigint {
  assertZeroPadding(bytes, offset, 32 - size, field)
  return readUint(bytes, offset + 32 - size, offset + 32)
}

function assertZeroPadding(bytes: Uint8Array, offset: number, padding: number, field: string): void {
  if (!isAllZero(bytes.subarray(offset, offset + padding))) {
    throw new WordPaddingError(`${field} has non-zero padding`, { field, word: readWord(bytes, offset) })
  }
}
