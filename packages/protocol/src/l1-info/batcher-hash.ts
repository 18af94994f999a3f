import { type Address, getAddress, type Hex, isAddress, isHex, padHex } from 'viem'
import { BatcherHashError } from './errors.js'

/** Version-0 batcher hash: `0x00 || 11 zero bytes || address`, i.e. `bytes32(uint256(uint160(batcher)))`. */
export function batcherHashFromAddress(address: Address): Hex {
  if (!isAddress(address, { strict: false })) throw new BatcherHashError('not an address', { address })
  return padHex(address.toLowerCase() as Hex, { size: 32 })
}

/** The batcher address of a version-0 batcher hash; any other version or non-zero padding is rejected. */
export function addressFromBatcherHash(batcherHash: Hex): Address {
  if (!isHex(batcherHash, { strict: true }) || batcherHash.length !== 66) {
    throw new BatcherHashError('batcher hash must be 32 bytes of hex', { batcherHash })
  }
  if (!/^0x0{24}/.test(batcherHash)) {
    throw new BatcherHashError('batcher hash is not version 0 with zero padding', { batcherHash })
  }
  return getAddress(`0x${batcherHash.slice(26)}`)
}
