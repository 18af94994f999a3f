import { RLP } from '@ethereumjs/rlp'

export type TrieEntry = { key: Uint8Array; value: Uint8Array }
type TrieNode = Uint8Array | TrieNode[]
type Leaf = { path: Uint8Array; value: Uint8Array }
type Hash = (bytes: Uint8Array) => Uint8Array
/**
 * Called with every node stored by hash (the root, and each node whose encoding is 32 bytes or more), so a caller
 * can write the trie out as an MPT's node database would hold it: key = hash, value = the node's RLP.
 */
export type OnNode = (hash: Uint8Array, encoded: Uint8Array) => void

/**
 * Root of the Merkle-Patricia trie holding `entries` (keys as given: hash them first for a secure trie), built in one
 * pass over the sorted keys as geth's StackTrie does: every node is encoded and hashed once, with no node store and
 * no re-walks of the path per insert. Equal to the MPT's root (trie-root.test.ts). `hash` is keccak-256, passed in so
 * callers with a native one use it.
 */
export function trieRoot(entries: TrieEntry[], hash: Hash, onNode?: OnNode): Uint8Array {
  if (entries.length === 0) return hash(RLP.encode(new Uint8Array()))
  const leaves: Leaf[] = entries.map(({ key, value }) => ({ path: nibbles(key), value }))
  leaves.sort((a, b) => compareNibbles(a.path, b.path))
  for (let i = 1; i < leaves.length; i++)
    if (compareNibbles(leaves[i - 1]!.path, leaves[i]!.path) === 0) throw new Error('trieRoot: duplicate key')
  const encoded = RLP.encode(node(leaves, 0, leaves.length, 0, hash, onNode))
  const root = hash(encoded)
  onNode?.(root, encoded)
  return root
}

/** The trie node over `leaves[from, to)`, whose paths share their first `depth` nibbles, as an RLP-ready structure. */
function node(leaves: Leaf[], from: number, to: number, depth: number, hash: Hash, onNode?: OnNode): TrieNode {
  const first = leaves[from]!
  if (to - from === 1) return [compactPath(first.path.subarray(depth), true), first.value]
  // paths are sorted: the prefix shared by all is the one shared by the first and the last
  const last = leaves[to - 1]!.path
  let shared = depth
  while (shared < first.path.length && shared < last.length && first.path[shared] === last[shared]) shared++
  if (shared > depth)
    return [
      compactPath(first.path.subarray(depth, shared), false),
      ref(node(leaves, from, to, shared, hash, onNode), hash, onNode),
    ]
  const branch: TrieNode[] = Array.from({ length: 17 }, () => new Uint8Array())
  let i = from
  if (first.path.length === depth) {
    branch[16] = first.value
    i++
  }
  while (i < to) {
    const nibble = leaves[i]!.path[depth]!
    let j = i + 1
    while (j < to && leaves[j]!.path[depth] === nibble) j++
    branch[nibble] = ref(node(leaves, i, j, depth + 1, hash, onNode), hash, onNode)
    i = j
  }
  return branch
}

/** A child reference: the node itself when its encoding is under 32 bytes, else its hash. */
function ref(child: TrieNode, hash: Hash, onNode?: OnNode): TrieNode {
  const encoded = RLP.encode(child)
  if (encoded.length < 32) return child
  const digest = hash(encoded)
  onNode?.(digest, encoded)
  return digest
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
function compactPath(path: Uint8Array, leaf: boolean): Uint8Array {
  const odd = path.length % 2
  const out = new Uint8Array(1 + (path.length >> 1))
  out[0] = ((leaf ? 2 : 0) + odd) << 4
  let p = 0
  if (odd) out[0]! |= path[p++]!
  for (let i = 1; i < out.length; i++, p += 2) out[i] = (path[p]! << 4) | path[p + 1]!
  return out
}
