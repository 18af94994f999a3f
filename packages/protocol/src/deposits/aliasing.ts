import { type Address, getAddress, isAddress, numberToHex } from 'viem'
import { AliasAddressError } from './errors.js'

/** Added to a contract caller's address on L1 -> L2 deposits (`AddressAliasHelper.sol`). */
export const L1_TO_L2_ALIAS_OFFSET = 0x1111000000000000000000000000000000001111n

const UINT160_MODULUS = 2n ** 160n

/**
 * The L2 `from` of a deposit sent by an L1 contract: `uint160(address) + offset`, wrapping around like Solidity's
 * unchecked uint160 arithmetic. Keeps an L1 contract from impersonating the L2 account at the same address.
 */
export function applyL1ToL2Alias(address: Address): Address {
  return shift(address, L1_TO_L2_ALIAS_OFFSET)
}

/** Inverse of `applyL1ToL2Alias` (L2CrossDomainMessenger authenticates its L1 peer this way). */
export function undoL1ToL2Alias(address: Address): Address {
  return shift(address, UINT160_MODULUS - L1_TO_L2_ALIAS_OFFSET)
}

function shift(address: Address, offset: bigint): Address {
  if (!isAddress(address, { strict: false })) throw new AliasAddressError('not an address', { address })
  const shifted = (BigInt(address) + offset) % UINT160_MODULUS
  return getAddress(numberToHex(shifted, { size: 20 }))
}
