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

const keccak = (bytes: Uint8Array) => keccak256(bytes, 'bytes')
/** A secure trie's entry: the key hashed. */
const secureEntry = (key: Hex, value: Hex): TrieEntry => ({ key: keccak(hexToBytes(key)), value: hexToBytes(value) })

/** Root of an account's storage trie (secure trie: keys hashed, values RLP of the word without leading zeros). */
export async function storageRoot(storage: Storage): Promise<Hex> {
  const entries: TrieEntry[] = []
  for (const [slot, value] of Object.entries(storage)) {
    const word = BigInt(value)
    if (word !== 0n) entries.push(secureEntry(slot as Hex, toRlp(rlpInt(word))))
  }
  return entries.length === 0 ? EMPTY_TRIE_ROOT : bytesToHex(trieRoot(entries, keccak))
}

/** The state-trie leaf of an account: rlp([nonce, balance, storageRoot, codeHash]). */
export async function encodeAccount(entry: GenesisAccount): Promise<Hex> {
  const codeHash = entry.code && entry.code !== '0x' ? keccak256(entry.code) : EMPTY_CODE_HASH
  return toRlp([rlpInt(entry.nonce), rlpInt(entry.balance), await storageRoot(entry.storage), codeHash])
}

/** Root of the genesis state trie: what geth / op-geth put in the genesis header's `stateRoot`. */
export async function stateRoot(alloc: Alloc): Promise<Hex> {
  // 2046 proxies share one code and mostly one storage: hash each distinct value once.
  const codeHashes = new Map<Hex, Hex>()
  const storageRoots = new Map<string, Hex>()
  const entries: TrieEntry[] = []
  for (const [address, entry] of alloc) {
    let codeHash = EMPTY_CODE_HASH
    if (entry.code && entry.code !== '0x') {
      codeHash = codeHashes.get(entry.code) ?? keccak256(entry.code)
      codeHashes.set(entry.code, codeHash)
    }
    const storageKey = JSON.stringify(Object.entries(entry.storage).sort())
    const root = storageRoots.get(storageKey) ?? (await storageRoot(entry.storage))
    storageRoots.set(storageKey, root)
    entries.push(secureEntry(address, toRlp([rlpInt(entry.nonce), rlpInt(entry.balance), root, codeHash])))
  }
  return bytesToHex(trieRoot(entries, keccak))
}
