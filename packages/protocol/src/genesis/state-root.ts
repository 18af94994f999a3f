import { bytesToHex, type Hex, hexToBytes, keccak256, numberToHex, toRlp } from 'viem'
import { type TrieEntry, trieRoot } from '../trie/trie-root.js'
import type { Alloc, GenesisAccount } from './alloc.js'
import type { Storage } from './storage-layout.js'

/** keccak256(rlp('')): the root of an empty trie. */
export const EMPTY_TRIE_ROOT: Hex = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421'
/** keccak256 of empty code. */
export const EMPTY_CODE_HASH: Hex = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'

/** RLP integer: minimal big-endian bytes, zero is the empty string. */
export const rlpInt = (value: bigint | number): Hex => (BigInt(value) === 0n ? '0x' : numberToHex(value))

/** keccak-256 over bytes; callers with a native one pass it (the node and the devnet hash ~10,000 nodes and keys) */
export type Keccak = (bytes: Uint8Array) => Uint8Array
const viemKeccak: Keccak = (bytes) => keccak256(bytes, 'bytes')
/** A secure trie's entry: the key hashed. */
const secureEntry = (key: Hex, value: Hex, hash: Keccak): TrieEntry => ({
  key: hash(hexToBytes(key)),
  value: hexToBytes(value),
})
const codeHashOf = (code: Hex | undefined, hash: Keccak): Hex =>
  code && code !== '0x' ? bytesToHex(hash(hexToBytes(code))) : EMPTY_CODE_HASH

/** Root of an account's storage trie (secure trie: keys hashed, values RLP of the word without leading zeros). */
export async function storageRoot(storage: Storage, hash: Keccak = viemKeccak): Promise<Hex> {
  const entries: TrieEntry[] = []
  for (const [slot, value] of Object.entries(storage)) {
    const word = BigInt(value)
    if (word !== 0n) entries.push(secureEntry(slot as Hex, toRlp(rlpInt(word)), hash))
  }
  return entries.length === 0 ? EMPTY_TRIE_ROOT : bytesToHex(trieRoot(entries, hash))
}

/** The state-trie leaf of an account: rlp([nonce, balance, storageRoot, codeHash]). */
export async function encodeAccount(entry: GenesisAccount, hash: Keccak = viemKeccak): Promise<Hex> {
  return toRlp([
    rlpInt(entry.nonce),
    rlpInt(entry.balance),
    await storageRoot(entry.storage, hash),
    codeHashOf(entry.code, hash),
  ])
}

/** Root of the genesis state trie: what geth / op-geth put in the genesis header's `stateRoot`. */
export async function stateRoot(alloc: Alloc, hash: Keccak = viemKeccak): Promise<Hex> {
  // 2046 proxies share one code and mostly one storage: hash each distinct value once.
  const codeHashes = new Map<Hex | undefined, Hex>()
  const storageRoots = new Map<string, Hex>()
  const entries: TrieEntry[] = []
  for (const [address, entry] of alloc) {
    const codeHash = codeHashes.get(entry.code) ?? codeHashOf(entry.code, hash)
    codeHashes.set(entry.code, codeHash)
    const storageKey = JSON.stringify(Object.entries(entry.storage).sort())
    const root = storageRoots.get(storageKey) ?? (await storageRoot(entry.storage, hash))
    storageRoots.set(storageKey, root)
    entries.push(secureEntry(address, toRlp([rlpInt(entry.nonce), rlpInt(entry.balance), root, codeHash]), hash))
  }
  return bytesToHex(trieRoot(entries, hash))
}
