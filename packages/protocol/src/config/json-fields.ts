import { type Address, getAddress, type Hex, isAddress } from 'viem'
import { z } from 'zod'
import { RollupConfigSerializeError } from './errors.js'

/**
 * A Go `uint64` written as a JSON number. Stored as bigint (viem's type for block numbers, timestamps and gas); values
 * past 2^53 - 1 are refused because `JSON.parse` has already rounded them by the time we see them.
 */
export const uint64Json = z
  .number({ error: 'expected a JSON number' })
  .int({ error: 'expected an integer' })
  .nonnegative({ error: 'expected a non-negative integer' })
  .refine(Number.isSafeInteger, { error: 'too large to read exactly from JSON (above 2^53 - 1)' })
  .transform((value) => BigInt(value))

/** A chain id (Go `*big.Int` written as a JSON number). Kept as number, like viem's chain ids. */
export const chainIdJson = z
  .number({ error: 'expected a JSON number' })
  .int({ error: 'expected an integer' })
  .positive({ error: 'must be a positive integer' })
  .refine(Number.isSafeInteger, { error: 'too large to read exactly from JSON (above 2^53 - 1)' })

/**
 * A 20-byte address. Go accepts any letter case; we also refuse a mixed-case address whose EIP-55 checksum is wrong,
 * since that is almost always a typo. Stored checksummed.
 */
export const addressJson = z
  .string({ error: 'expected a 0x-prefixed 20-byte hex string' })
  .regex(/^0x[0-9a-fA-F]{40}$/, { error: 'expected a 0x-prefixed 20-byte hex string' })
  .refine((value) => isAddress(value, { strict: true }), { error: 'bad EIP-55 checksum' })
  .transform((value): Address => getAddress(value))

/** A fixed-size byte string (Go `common.Hash`, `eth.Bytes32`, `eth.Bytes8`), stored lower-case as op-node prints it. */
export function fixedBytesJson(size: number) {
  const pattern = new RegExp(`^0x[0-9a-fA-F]{${size * 2}}$`)
  return z
    .string({ error: `expected a 0x-prefixed ${size}-byte hex string` })
    .regex(pattern, { error: `expected a 0x-prefixed ${size}-byte hex string` })
    .transform((value) => value.toLowerCase() as Hex)
}

export const bytes32Json = fixedBytesJson(32)

/** Go marshals `uint64` as a plain number; a bigint above 2^53 - 1 cannot be written that way without loss. */
export function toJsonNumber(value: bigint, field: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RollupConfigSerializeError(`${field} = ${value} cannot be written as an exact JSON number`, {
      field,
      value,
    })
  }
  return Number(value)
}
