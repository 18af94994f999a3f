import type { AccessList } from 'viem'
import { fromHex, toHex } from './hex.js'
import { readRlpFixedBytes, readRlpList, readRlpStruct } from './rlp.js'

/** RLP items of an EIP-2930 access list: `[[address, [storage_key, ...]], ...]`. */
export type AccessListItems = [Uint8Array, Uint8Array[]][]

export function accessListToRlpItems(accessList: AccessList): AccessListItems {
  return accessList.map(({ address, storageKeys }) => [fromHex(address), storageKeys.map((key) => fromHex(key))])
}

/** Decodes an access list with geth's `types.AccessList` rules: 20-byte addresses, 32-byte keys, two-field tuples. */
export function readRlpAccessList(bytes: Uint8Array, offset: number): AccessList {
  return readRlpList(bytes, offset).items.map((tuple) => {
    const [address, keys] = readRlpStruct(bytes, tuple, 2)
    return {
      address: toHex(readRlpFixedBytes(bytes, address, 20)),
      storageKeys: readRlpList(bytes, keys).items.map((key) => toHex(readRlpFixedBytes(bytes, key, 32))),
    }
  })
}
