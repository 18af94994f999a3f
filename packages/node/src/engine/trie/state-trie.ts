import { equalsBytes, KECCAK256_RLP } from '@ethereumjs/util'
import { keccak256 } from '../crypto.js'
import {
  type BranchNode,
  decodeNode,
  type ExtensionNode,
  encodeHexPrefix,
  type LeafNode,
  rlpList,
  rlpString,
  type TrieNode,
} from './nodes.js'

/** Where stored nodes are read from: the MPT's database (`trie.database()`), keyed by node hash. */
export type NodeSource = { get(key: Uint8Array): Promise<Uint8Array | undefined> }

export class MissingTrieNodeError extends Error {
  override name = 'MissingTrieNodeError'
  constructor(readonly details: { hash: Uint8Array }) {
    super('Missing node in DB')
  }
}

/**
 * Decoded trie nodes by hash, bounded (oldest out first). Nodes are immutable and content-addressed, so an entry is
 * never stale, and one cache can serve the head state and read-only states at older roots alike. ethereumjs' MPT
 * decodes a node from RLP on every visit and walks the path asynchronously node by node; with this cache a lookup is
 * a synchronous walk unless a node is not in memory yet.
 */
export class TrieNodeCache {
  private readonly nodes = new Map<string, TrieNode>()

  /**
   * A decoded branch takes ~2.4 KB besides its RLP (16 child hashes as views), a leaf ~0.5 KB: 50k nodes are ≤ ~120 MB
   * and hold the upper levels and a few dozen blocks' paths, the working set of the blocks being built.
   */
  constructor(readonly limit = 50_000) {}

  get(hash: Uint8Array): TrieNode | undefined {
    return this.nodes.get(cacheKey(hash))
  }

  set(hash: Uint8Array, node: TrieNode): void {
    const key = cacheKey(hash)
    if (this.nodes.has(key)) return
    this.nodes.set(key, node)
    if (this.nodes.size > this.limit) this.nodes.delete(this.nodes.keys().next().value!)
  }

  get size(): number {
    return this.nodes.size
  }

  async load(source: NodeSource, hash: Uint8Array): Promise<void> {
    const rlp = await source.get(hash)
    if (rlp === undefined) throw new MissingTrieNodeError({ hash })
    this.set(hash, decodeNode(rlp, hash))
  }
}

function cacheKey(hash: Uint8Array): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('latin1')
}

/** thrown inside the synchronous walks when a node must be loaded first; the operation is then retried */
class NotLoaded {
  constructor(readonly hash: Uint8Array) {}
}

const KEY_NIBBLES = 64

function nibble(key: Uint8Array, position: number): number {
  const byte = key[position >> 1]!
  return position & 1 ? byte & 0x0f : byte >> 4
}

function keyNibbles(key: Uint8Array, from: number): Uint8Array {
  const out = new Uint8Array(KEY_NIBBLES - from)
  for (let i = from; i < KEY_NIBBLES; i++) out[i - from] = nibble(key, i)
  return out
}

function resolve(cache: TrieNodeCache, node: TrieNode): Exclude<TrieNode, { kind: 'hash' }> {
  if (node.kind !== 'hash') return node
  const loaded = cache.get(node.hash)
  if (loaded === undefined) throw new NotLoaded(node.hash)
  return loaded as Exclude<TrieNode, { kind: 'hash' }>
}

function rootNode(root: Uint8Array): TrieNode | null {
  return equalsBytes(root, KECCAK256_RLP) ? null : { kind: 'hash', hash: root }
}

/** Runs a synchronous trie operation, loading each node it reports missing and retrying (it changed nothing). */
async function withLoads<T>(cache: TrieNodeCache, source: NodeSource, operation: () => T): Promise<T> {
  for (;;) {
    try {
      return operation()
    } catch (error) {
      if (!(error instanceof NotLoaded)) throw error
      await cache.load(source, error.hash)
    }
  }
}

/** The value under a 32-byte (already hashed) key, or null. */
export function trieGet(
  cache: TrieNodeCache,
  source: NodeSource,
  root: Uint8Array,
  key: Uint8Array,
): Promise<Uint8Array | null> | Uint8Array | null {
  const start = rootNode(root)
  try {
    return lookup(cache, start, key)
  } catch (error) {
    if (!(error instanceof NotLoaded)) throw error
    return withLoads(cache, source, () => lookup(cache, start, key))
  }
}

function lookup(cache: TrieNodeCache, start: TrieNode | null, key: Uint8Array): Uint8Array | null {
  let node = start
  let position = 0
  for (;;) {
    if (node === null) return null
    const current = resolve(cache, node)
    if (current.kind === 'branch') {
      if (position === KEY_NIBBLES) return current.value
      node = current.children[nibble(key, position++)]!
    } else {
      const path = current.path
      if (KEY_NIBBLES - position < path.length) return null
      for (let i = 0; i < path.length; i++) if (path[i] !== nibble(key, position + i)) return null
      position += path.length
      if (current.kind === 'leaf') return position === KEY_NIBBLES ? current.value : null
      node = current.child
    }
  }
}

/** One write of a batch: a 32-byte hashed key and its value, or null to delete. */
export type TrieWrite = { key: Uint8Array; value: Uint8Array | null }

/**
 * Applies `writes` in order to the trie at `root` and returns the new root with the nodes to store (hash → RLP).
 * Every node on the changed paths is encoded and hashed once, however many writes passed through it; ethereumjs'
 * `put` re-encoded and re-hashed the whole path from the leaf to the root for each write. Nodes shorter than 32 bytes
 * are inlined in their parent, except the root, which is always stored under its hash (as ethereumjs does).
 */
export async function trieUpdate(
  cache: TrieNodeCache,
  source: NodeSource,
  root: Uint8Array,
  writes: readonly TrieWrite[],
): Promise<{ root: Uint8Array; nodes: [Uint8Array, Uint8Array][] }> {
  let node = rootNode(root)
  for (const { key, value } of writes) {
    if (key.length !== 32) throw new RangeError(`trie keys are 32-byte hashes, got ${key.length} bytes`)
    const before = node
    const apply = () => (value === null ? remove(cache, before, key, 0) : insert(cache, before, key, 0, value))
    try {
      node = apply()
    } catch (error) {
      if (!(error instanceof NotLoaded)) throw error
      node = await withLoads(cache, source, apply)
    }
  }
  const nodes: [Uint8Array, Uint8Array][] = []
  if (node === null) return { root: KECCAK256_RLP, nodes }
  if (node.kind === 'hash') return { root: node.hash, nodes }
  if (node.hash) return { root: node.hash, nodes }
  const rlp = encode(cache, node, nodes)
  const hash = keccak256(rlp)
  nodes.push([hash, rlp])
  cache.set(hash, node)
  return { root: hash, nodes }
}

function leaf(path: Uint8Array, value: Uint8Array): LeafNode {
  return { kind: 'leaf', path, value }
}

function extension(path: Uint8Array, child: TrieNode): ExtensionNode | TrieNode {
  return path.length === 0 ? child : { kind: 'extension', path, child }
}

function emptyChildren(): (TrieNode | null)[] {
  return [null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null]
}

/** length of the common prefix of `path` and the key's nibbles from `position` */
function commonPrefix(path: Uint8Array, key: Uint8Array, position: number): number {
  const max = Math.min(path.length, KEY_NIBBLES - position)
  let i = 0
  while (i < max && path[i] === nibble(key, position + i)) i++
  return i
}

function insert(
  cache: TrieNodeCache,
  node: TrieNode | null,
  key: Uint8Array,
  position: number,
  value: Uint8Array,
): TrieNode {
  if (node === null) return leaf(keyNibbles(key, position), value)
  const current = resolve(cache, node)
  if (current.kind === 'branch') {
    const children = current.children.slice()
    if (position === KEY_NIBBLES) return { kind: 'branch', children, value }
    const index = nibble(key, position)
    children[index] = insert(cache, children[index]!, key, position + 1, value)
    return { kind: 'branch', children, value: current.value }
  }
  const common = commonPrefix(current.path, key, position)
  if (common === current.path.length) {
    if (current.kind === 'leaf') {
      if (position + common === KEY_NIBBLES) {
        return equalsBytes(current.value, value) ? current : leaf(current.path, value)
      }
      // the leaf's key is a prefix of this key: impossible with fixed-length keys, kept general
      const children = emptyChildren()
      children[nibble(key, position + common)] = leaf(keyNibbles(key, position + common + 1), value)
      return extension(current.path, { kind: 'branch', children, value: current.value })
    }
    return extension(current.path, insert(cache, current.child, key, position + common, value))
  }
  // the paths diverge after `common` nibbles: a branch there holds the old node's rest and the new leaf
  const children = emptyChildren()
  const rest = current.path.subarray(common + 1)
  children[current.path[common]!] = current.kind === 'leaf' ? leaf(rest, current.value) : extension(rest, current.child)
  let branchValue: Uint8Array | null = null
  if (position + common === KEY_NIBBLES) branchValue = value
  else children[nibble(key, position + common)] = leaf(keyNibbles(key, position + common + 1), value)
  return extension(current.path.subarray(0, common), { kind: 'branch', children, value: branchValue })
}

function remove(cache: TrieNodeCache, node: TrieNode | null, key: Uint8Array, position: number): TrieNode | null {
  if (node === null) return null
  const current = resolve(cache, node)
  if (current.kind === 'branch') {
    let children = current.children
    let value = current.value
    if (position === KEY_NIBBLES) {
      if (value === null) return node
      value = null
    } else {
      const index = nibble(key, position)
      const child = children[index]!
      const updated = remove(cache, child, key, position + 1)
      if (updated === child) return node
      children = children.slice()
      children[index] = updated
    }
    return collapse(cache, children, value)
  }
  const path = current.path
  if (commonPrefix(path, key, position) !== path.length) return node
  if (current.kind === 'leaf') return position + path.length === KEY_NIBBLES ? null : node
  const child = remove(cache, current.child, key, position + path.length)
  if (child === current.child) return node
  if (child === null) return null
  return join(cache, path, child)
}

/** A branch left with fewer than two entries becomes a leaf or extension (the canonical form). */
function collapse(cache: TrieNodeCache, children: (TrieNode | null)[], value: Uint8Array | null): TrieNode | null {
  let count = value === null ? 0 : 1
  let only = -1
  for (let i = 0; i < 16; i++) {
    if (children[i] !== null) {
      count++
      only = i
    }
  }
  if (count >= 2) return { kind: 'branch', children, value }
  if (count === 0) return null
  if (only === -1) return leaf(new Uint8Array(0), value!)
  return join(cache, Uint8Array.of(only), children[only]!)
}

/** `prefix` followed by `child`, merged into one leaf or extension when the child is one. */
function join(cache: TrieNodeCache, prefix: Uint8Array, child: TrieNode): TrieNode {
  const current = resolve(cache, child)
  if (current.kind === 'branch') return { kind: 'extension', path: prefix, child: current }
  const path = new Uint8Array(prefix.length + current.path.length)
  path.set(prefix)
  path.set(current.path, prefix.length)
  return current.kind === 'leaf' ? leaf(path, current.value) : { kind: 'extension', path, child: current.child }
}

const EMPTY_STRING = Uint8Array.of(0x80)

/** The node's reference inside its parent: RLP of its hash, or its own RLP when shorter than 32 bytes. */
function reference(cache: TrieNodeCache, node: TrieNode | null, out: [Uint8Array, Uint8Array][]): Uint8Array {
  if (node === null) return EMPTY_STRING
  if (node.kind === 'hash' || node.hash) return hashReference(node.hash!)
  if (node.embedded) return node.embedded
  const rlp = encode(cache, node, out)
  if (rlp.length < 32) {
    node.embedded = rlp
    return rlp
  }
  const hash = keccak256(rlp)
  node.hash = hash
  out.push([hash, rlp])
  cache.set(hash, node)
  return hashReference(hash)
}

function hashReference(hash: Uint8Array): Uint8Array {
  const out = new Uint8Array(33)
  out[0] = 0xa0
  out.set(hash, 1)
  return out
}

function encode(
  cache: TrieNodeCache,
  node: BranchNode | LeafNode | ExtensionNode,
  out: [Uint8Array, Uint8Array][],
): Uint8Array {
  if (node.kind === 'leaf') return rlpList([rlpString(encodeHexPrefix(node.path, true)), rlpString(node.value)])
  if (node.kind === 'extension') {
    return rlpList([rlpString(encodeHexPrefix(node.path, false)), reference(cache, node.child, out)])
  }
  const items: Uint8Array[] = new Array(17)
  for (let i = 0; i < 16; i++) items[i] = reference(cache, node.children[i]!, out)
  items[16] = node.value === null ? EMPTY_STRING : rlpString(node.value)
  return rlpList(items)
}
