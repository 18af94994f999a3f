import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { bytesToHex, KECCAK256_RLP, MapDB } from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'
import { keccak256 } from '../crypto.js'
import { MissingTrieNodeError, TrieNodeCache, type TrieWrite, trieGet, trieUpdate } from './state-trie.js'

/** deterministic pseudo-random bytes (xorshift) so a failure reproduces */
function random(seed: number): (length: number) => Uint8Array {
  let state = seed >>> 0 || 1
  return (length) => {
    const out = new Uint8Array(length)
    for (let i = 0; i < length; i++) {
      state ^= state << 13
      state ^= state >>> 17
      state ^= state << 5
      out[i] = state & 0xff
    }
    return out
  }
}

/** the reference: ethereumjs' MPT with the same (already hashed) keys, its nodes in a MapDB */
function reference() {
  return new MerklePatriciaTrie({ db: new MapDB() })
}

/** our nodes written to a map the way the state manager writes them (through the MPT's DB), read back by hash */
function nodeStore() {
  const stored = new Map<string, Uint8Array>()
  return {
    stored,
    source: { get: async (key: Uint8Array) => stored.get(bytesToHex(key)) },
    write(nodes: [Uint8Array, Uint8Array][]) {
      for (const [hash, rlp] of nodes) {
        expect(bytesToHex(keccak256(rlp))).toBe(bytesToHex(hash))
        stored.set(bytesToHex(hash), rlp)
      }
    },
  }
}

const PREFIX = new Uint8Array(30).fill(0xab)

describe('state trie (batched updates on decoded nodes)', () => {
  it('gives the ethereumjs MPT root after every batch of inserts, updates and deletes; lookups agree', async () => {
    const bytes = random(7)
    const mpt = reference()
    const store = nodeStore()
    // a small cache forces reloads from the store in the middle of batches
    const cache = new TrieNodeCache(50)
    let root = KECCAK256_RLP
    const live: Uint8Array[] = []
    for (let batch = 0; batch < 40; batch++) {
      const writes: TrieWrite[] = []
      for (let i = 0; i < 60; i++) {
        const r = bytes(1)[0]!
        if (r < 90 || live.length === 0) {
          // keys sharing 30 bytes with short values make leaves deep in the trie that are shorter than 32 bytes,
          // which are inlined in their parent
          const value = bytes(1 + (bytes(1)[0]! % (r < 40 ? 2 : 40)))
          const key = r < 40 ? Uint8Array.from([...PREFIX, ...bytes(2)]) : bytes(32)
          live.push(key)
          writes.push({ key, value })
        } else if (r < 170) {
          writes.push({ key: live[r % live.length]!, value: bytes(3) })
        } else if (r < 250) {
          const [key] = live.splice(r % live.length, 1)
          writes.push({ key: key!, value: null })
        } else {
          writes.push({ key: bytes(32), value: null }) // absent key: no change
        }
      }
      for (const { key, value } of writes) {
        if (value === null) await mpt.del(key)
        else await mpt.put(key, value)
      }
      const updated = await trieUpdate(cache, store.source, root, writes)
      store.write(updated.nodes)
      root = updated.root
      expect(bytesToHex(root)).toBe(bytesToHex(mpt.root()))
    }
    const fresh = new TrieNodeCache()
    for (const key of live.slice(0, 200)) {
      expect(await trieGet(fresh, store.source, root, key)).toEqual(await mpt.get(key))
    }
    expect(await trieGet(fresh, store.source, root, bytes(32))).toBeNull()
  })

  it('collapses to the empty root when every key is deleted, and handles a one-leaf root', async () => {
    const bytes = random(11)
    const store = nodeStore()
    const cache = new TrieNodeCache()
    const keys = Array.from({ length: 20 }, () => bytes(32))
    let updated = await trieUpdate(cache, store.source, KECCAK256_RLP, [{ key: keys[0]!, value: Uint8Array.of(1) }])
    store.write(updated.nodes)
    const one = reference()
    await one.put(keys[0]!, Uint8Array.of(1))
    expect(bytesToHex(updated.root)).toBe(bytesToHex(one.root()))
    updated = await trieUpdate(
      cache,
      store.source,
      updated.root,
      keys.map((key) => ({ key, value: key.subarray(0, 2) })),
    )
    store.write(updated.nodes)
    updated = await trieUpdate(
      cache,
      store.source,
      updated.root,
      keys.map((key) => ({ key, value: null })),
    )
    expect(bytesToHex(updated.root)).toBe(bytesToHex(KECCAK256_RLP))
  })

  it('reports a node missing from the store', async () => {
    const store = nodeStore()
    const missing = keccak256(Uint8Array.of(1, 2, 3))
    await expect(trieGet(new TrieNodeCache(), store.source, missing, missing)).rejects.toThrow(MissingTrieNodeError)
  })
})
