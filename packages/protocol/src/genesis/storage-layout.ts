import { type Hex, hexToBigInt, pad, toHex } from 'viem'
import { GenesisError } from './errors.js'

/** The `storageLayout` solc writes into a forge artifact (only the parts the genesis needs). */
export type StorageLayout = {
  storage: { label: string; slot: string; offset: number; type: string }[]
  types: Record<string, { numberOfBytes: string; encoding: string; label: string }>
}

/** Storage of one account: 32-byte slot → 32-byte value, both 0x-prefixed lowercase hex. */
export type Storage = Record<Hex, Hex>

/**
 * Writes a top-level state variable by its source label, at the slot and byte offset solc assigned, so the
 * genesis follows the compiled layout instead of hand-copied slot numbers. Values are packed like solc does:
 * a variable at offset `o` of `n` bytes occupies bytes [32-o-n, 32-o) of the big-endian slot word.
 */
export function writeVariable(
  storage: Storage,
  layout: StorageLayout,
  label: string,
  value: bigint | boolean | Hex,
  contract = 'contract',
): void {
  const entries = layout.storage.filter((e) => e.label === label)
  if (entries.length !== 1)
    throw new GenesisError(
      `storage variable ${label} ${entries.length ? 'is ambiguous' : 'not found'} in ${contract}`,
      {
        contract,
        label,
      },
    )
  const entry = entries[0]!
  const type = layout.types[entry.type]
  if (type?.encoding !== 'inplace')
    throw new GenesisError(`storage variable ${label} of ${contract} is not a value type`, { contract, label })
  const size = Number(type.numberOfBytes)
  const numeric =
    typeof value === 'boolean' ? (value ? 1n : 0n) : typeof value === 'bigint' ? value : hexToBigInt(value)
  if (numeric < 0n || numeric >= 2n ** BigInt(size * 8))
    throw new GenesisError(`value for ${contract}.${label} does not fit in ${size} bytes`, { contract, label, value })
  const slot = pad(toHex(BigInt(entry.slot)), { size: 32 })
  const shift = BigInt(entry.offset * 8)
  const mask = ((1n << BigInt(size * 8)) - 1n) << shift
  const word = ((storage[slot] ? hexToBigInt(storage[slot]) : 0n) & ~mask) | (numeric << shift)
  if (word === 0n) delete storage[slot]
  else storage[slot] = pad(toHex(word), { size: 32 })
}

/** Writes a raw 32-byte word (EIP-1967 slots and other slots outside the compiled layout). */
export function writeSlot(storage: Storage, slot: Hex, value: bigint | Hex): void {
  const key = pad(slot.toLowerCase() as Hex, { size: 32 })
  const word = typeof value === 'bigint' ? value : hexToBigInt(value)
  if (word === 0n) delete storage[key]
  else storage[key] = pad(toHex(word), { size: 32 })
}
