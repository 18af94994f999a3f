import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'
import { bytesToHex } from '@ethereumjs/util'
import { describe, expect, it } from 'vitest'
import { createEngineCommon } from './common.js'
import { orderedTrieRoot } from './tries.js'

const common = createEngineCommon(901n)

async function mptRoot(values: Uint8Array[]): Promise<string> {
  const trie = new MerklePatriciaTrie({ common })
  for (const [i, value] of values.entries()) await trie.put(RLP.encode(i), value)
  return bytesToHex(trie.root())
}

describe('orderedTrieRoot', () => {
  it('equals the ethereumjs MPT root for 0..300 items and short (inlined) and long values', async () => {
    let seed = 7
    const byte = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed & 0xff
    }
    for (const count of [0, 1, 2, 3, 16, 17, 127, 128, 129, 256, 300]) {
      for (const maxLength of [1, 40, 200]) {
        const values = Array.from({ length: count }, () => Uint8Array.from({ length: 1 + (byte() % maxLength) }, byte))
        expect(bytesToHex(await orderedTrieRoot(values, common)), `${count} items ≤ ${maxLength} B`).toBe(
          await mptRoot(values),
        )
      }
    }
  }, 60_000)
})
