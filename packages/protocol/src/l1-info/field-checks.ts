import { type Hex, isAddress, isHex } from 'viem'
import { isUint } from '../deposits/bytes.js'
import { L1InfoFieldError } from './errors.js'

/** Throws L1InfoFieldError unless every `[field, value, max]` is an unsigned integer within `max`. */
export function assertUints(values: readonly (readonly [string, unknown, bigint])[]): void {
  for (const [field, value, max] of values) {
    if (!isUint(value, max)) throw new L1InfoFieldError(`${field} is out of range`, { field, value })
  }
}

export function assertUint32(field: string, value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 0xffff_ffff) {
    throw new L1InfoFieldError(`${field} must be a uint32`, { field, value })
  }
}

export function assertBytes32(field: string, value: Hex): void {
  if (!isHex(value, { strict: true }) || value.length !== 66) {
    throw new L1InfoFieldError(`${field} must be 32 bytes of hex`, { field, value })
  }
}

export function assertAddress(field: string, value: string): void {
  if (!isAddress(value, { strict: false })) throw new L1InfoFieldError(`${field} is not an address`, { field, value })
}
