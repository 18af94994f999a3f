import type { Common } from '@ethereumjs/common'
import { RLP } from '@ethereumjs/rlp'
import { keccak256 } from './crypto.js'

type Leaf = { key: Uint8Array; value: Uint8Array }
type TrieNode = Uint8Array | TrieNode[]

/**
 * Root of an index-keyed trie (transactions, receipts): key `rlp(i)`, value the i-th encoded item. Built in one pass
 * over the sorted keys, as geth's StackTrie does, instead of inserting into an MPT one key at a time (each insert
 * walked and re-decoded the path: ~15% of a 500-tx block). Equality with the MPT is tested in tries.test.ts.
 */
export async function orderedTrieRoot(values: Uint8Array[], common: Common): Promise<Uint8Array> {
  const hash = common.customCrypto.keccak256 ?? keccak256
  if (values.length === 0) return hash(RLP.encode(new Uint8Array()))
  const leaves: Leaf[] = values.map((value, i) => ({ key: nibbles(RLP.encode(i)), value }))
  leaves.sort((a, b) => compareNibbles(a.key, b.key))
  return hash(RLP.encode(node(leaves, 0, leaves.length, 0, hash)))
}

/** The trie node over `leaves[from, to)`, whose keys share their first `depth` nibbles, as an RLP-ready structure. */
function node(leaves: Leaf[], from: number, to: number, depth: number, hash: (b: Uint8Array) => Uint8Array): TrieNode {
  const first = leaves[from]!
  if (to - from === 1) return [compactKey(first.key.subarray(depth), true), first.value]
  // keys are sorted: the prefix shared by all is the one shared by the first and the last
  const last = leaves[to - 1]!.key
  let shared = depth
  while (shared < first.key.length && shared < last.length && first.key[shared] === last[shared]) shared++
  if (shared > depth) {
    return [compactKey(first.key.subarray(depth, shared), false), ref(node(leaves, from, to, shared, hash), hash)]
  }
  const branch: TrieNode[] = Array.from({ length: 17 }, () => new Uint8Array())
  let i = from
  if (first.key.length === depth) {
    branch[16] = first.value
    i++
  }
  while (i < to) {
    const nibble = leaves[i]!.key[depth]!
    let j = i + 1
    while (j < to && leaves[j]!.key[depth] === nibble) j++
    branch[nibble] = ref(node(leaves, i, j, depth + 1, hash), hash)
    i = j
  }
  return branch
}

/** A child reference: the node itself when its encoding is under 32 bytes, else its hash. */
function ref(child: TrieNode, hash: (b: Uint8Array) => Uint8Array): TrieNode {
  const encoded = RLP.encode(child)
  return encoded.length < 32 ? child : hash(encoded)
}

function nibbles(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length * 2)
  for (let i = 0; i < bytes.length; i++) {
    out[2 * i] = bytes[i]! >> 4
    out[2 * i + 1] = bytes[i]! & 15
  }
  return out
}

function compareNibbles(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

/** Hex-prefix encoding (Yellow Paper appendix C): flag nibble (leaf 2, odd length 1), then the nibbles packed. */
function compactKey(path: Uint8Array, leaf: boolean): Uint8Array {
  const odd = path.length % 2
  const out = new Uint8Array(1 + (path.length >> 1))
  out[0] = ((leaf ? 2 : 0) + odd) << 4
  let p = 0
  if (odd) out[0]! |= path[p++]!
  for (let i = 1; i < out.length; i++, p += 2) out[i] = (path[p]! << 4) | path[p + 1]!
  return out
}
