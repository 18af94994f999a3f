import { createMPT } from '@ethereumjs/mpt'
import { bytesToUnprefixedHex, MapDB } from '@ethereumjs/util'
import { keccak256 } from 'viem'
import { describe, expect, test } from 'vitest'
import { type TrieEntry, trieRoot } from './trie-root.js'

const keccak = (bytes: Uint8Array) => keccak256(bytes, 'bytes')

/** A deterministic byte stream (xorshift), so a failure reproduces. */
function bytesFrom(seed: number) {
  let x = seed || 1
  return (n: number) =>
    Uint8Array.from({ length: n }, () => {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      return x & 255
    })
}

async function mptRoot(entries: TrieEntry[]): Promise<Uint8Array> {
  const trie = await createMPT()
  for (const { key, value } of entries) await trie.put(key, value)
  return trie.root()
}

describe('trieRoot (one pass over sorted keys) equals the ethereumjs MPT root', () => {
  test.each([0, 1, 2, 3, 17, 256, 1000])('%i random 32-byte keys, values of 1–80 bytes', async (n) => {
    const next = bytesFrom(n + 7)
    const entries = Array.from({ length: n }, () => ({ key: next(32), value: next(1 + (next(1)[0]! % 80)) }))
    expect(trieRoot(entries, keccak)).toEqual(await mptRoot(entries))
  })

  test('a key that is a prefix of others puts its value in the branch', async () => {
    const entries = [
      { key: Uint8Array.of(0x12), value: Uint8Array.of(1) },
      { key: Uint8Array.of(0x12, 0x34), value: Uint8Array.of(2) },
      { key: Uint8Array.of(0x12, 0x35, 0x01), value: new Uint8Array(40).fill(3) },
      { key: Uint8Array.of(0x20), value: Uint8Array.of(4) },
    ]
    expect(trieRoot(entries, keccak)).toEqual(await mptRoot(entries))
  })

  test('a duplicate key is refused (the MPT would keep the last value)', () => {
    const key = Uint8Array.of(1, 2)
    expect(() =>
      trieRoot(
        [
          { key, value: Uint8Array.of(1) },
          { key, value: Uint8Array.of(2) },
        ],
        keccak,
      ),
    ).toThrow(/duplicate key/)
  })
})

test('the nodes it reports are an MPT node database: a trie opened at the root on them alone reads every entry', async () => {
  const next = bytesFrom(99)
  const entries = Array.from({ length: 500 }, () => ({ key: next(32), value: next(1 + (next(1)[0]! % 80)) }))
  const db = new MapDB<string, Uint8Array>()
  let reported = 0
  const root = trieRoot(entries, keccak, (hash, encoded) => {
    expect(hash).toEqual(keccak(encoded))
    reported++
    void db.put(bytesToUnprefixedHex(hash), encoded)
  })
  expect(reported).toBeGreaterThan(500 / 16)
  const trie = await createMPT({ db, root })
  for (const { key, value } of entries) expect(await trie.get(key)).toEqual(value)
  expect(await trie.get(next(32))).toBeNull()
})
