/**
 * Merkle-Patricia trie nodes as the engine's state trie works on them: immutable once built, so a decoded node can be
 * shared by every root that references it. A node read from the DB carries `hash` (or `embedded`, its own RLP when
 * shorter than 32 bytes and inlined in its parent); a node built by an update has neither until it is committed.
 */
export type TrieNode = BranchNode | LeafNode | ExtensionNode | HashNode
export type BranchNode = { kind: 'branch'; children: (TrieNode | null)[]; value: Uint8Array | null } & Stored
export type LeafNode = { kind: 'leaf'; path: Uint8Array; value: Uint8Array } & Stored
export type ExtensionNode = { kind: 'extension'; path: Uint8Array; child: TrieNode } & Stored
/** a child not loaded yet: only its hash is known */
export type HashNode = { kind: 'hash'; hash: Uint8Array }
type Stored = { hash?: Uint8Array; embedded?: Uint8Array }

export class TrieDecodeError extends Error {
  override name = 'TrieDecodeError'
  constructor(
    message: string,
    readonly details: { items?: number },
  ) {
    super(message)
  }
}

/**
 * Decodes a stored node (the RLP under its hash). `hash` is recorded so an unchanged node is never re-encoded. Hashes
 * and values are views into `rlp`, not copies: a cached branch holds one buffer instead of 16 small ones (ethereumjs'
 * RLP decoder copies every item, ~4.8 KB per decoded branch).
 */
export function decodeNode(rlp: Uint8Array, hash: Uint8Array): TrieNode {
  const node = fromList(rlp)
  if (rlp.length < 32) node.embedded = rlp
  else node.hash = hash
  return node
}

/** One RLP item at `offset`: where its payload is, whether it is a list, and where the next item starts. */
function item(bytes: Uint8Array, offset: number): { start: number; end: number; list: boolean } {
  const prefix = bytes[offset]
  if (prefix === undefined) throw new TrieDecodeError('trie node RLP ends early', {})
  let start: number
  let length: number
  let list = false
  if (prefix < 0x80) {
    start = offset
    length = 1
  } else if (prefix <= 0xb7) {
    start = offset + 1
    length = prefix - 0x80
  } else if (prefix < 0xc0) {
    start = offset + 1 + (prefix - 0xb7)
    length = readLength(bytes, offset + 1, prefix - 0xb7)
  } else if (prefix <= 0xf7) {
    start = offset + 1
    length = prefix - 0xc0
    list = true
  } else {
    start = offset + 1 + (prefix - 0xf7)
    length = readLength(bytes, offset + 1, prefix - 0xf7)
    list = true
  }
  const end = start + length
  if (end > bytes.length) throw new TrieDecodeError('trie node RLP item overruns the node', {})
  return { start, end, list }
}

function readLength(bytes: Uint8Array, offset: number, size: number): number {
  let length = 0
  for (let i = 0; i < size; i++) length = length * 256 + bytes[offset + i]!
  return length
}

function fromList(rlp: Uint8Array): Exclude<TrieNode, HashNode> {
  const list = item(rlp, 0)
  if (!list.list) throw new TrieDecodeError('trie node is not a list', {})
  const items: { start: number; end: number; list: boolean; offset: number }[] = []
  for (let offset = list.start; offset < list.end; ) {
    const next = item(rlp, offset)
    items.push({ ...next, offset })
    offset = next.end
  }
  if (items.length === 17) {
    const children: (TrieNode | null)[] = new Array(16)
    for (let i = 0; i < 16; i++) children[i] = childOf(rlp, items[i]!)
    const value = items[16]!
    return { kind: 'branch', children, value: value.end > value.start ? rlp.subarray(value.start, value.end) : null }
  }
  if (items.length === 2) {
    const [pathItem, second] = items as [(typeof items)[0], (typeof items)[0]]
    if (pathItem.list) throw new TrieDecodeError('trie node path is a list', {})
    const { path, leaf } = decodeHexPrefix(rlp.subarray(pathItem.start, pathItem.end))
    if (leaf) {
      if (second.list) throw new TrieDecodeError('trie leaf value is a list', {})
      return { kind: 'leaf', path, value: rlp.subarray(second.start, second.end) }
    }
    const child = childOf(rlp, second)
    if (child === null) throw new TrieDecodeError('trie extension without a child', {})
    return { kind: 'extension', path, child }
  }
  throw new TrieDecodeError('trie node has neither 2 nor 17 items', { items: items.length })
}

function childOf(
  rlp: Uint8Array,
  child: { start: number; end: number; list: boolean; offset: number },
): TrieNode | null {
  if (child.list) {
    const embedded = rlp.subarray(child.offset, child.end)
    const node = fromList(embedded)
    node.embedded = embedded
    return node
  }
  if (child.end === child.start) return null
  return { kind: 'hash', hash: rlp.subarray(child.start, child.end) }
}

/** Compact (hex-prefix) path encoding, Yellow Paper appendix C. */
export function encodeHexPrefix(path: Uint8Array, leaf: boolean): Uint8Array {
  const odd = path.length % 2
  const out = new Uint8Array(1 + (path.length >> 1))
  const flag = (leaf ? 2 : 0) + odd
  let i = 0
  if (odd) {
    out[0] = (flag << 4) | path[0]!
    i = 1
  } else {
    out[0] = flag << 4
  }
  for (let o = 1; i < path.length; i += 2, o++) out[o] = (path[i]! << 4) | path[i + 1]!
  return out
}

function decodeHexPrefix(bytes: Uint8Array): { path: Uint8Array; leaf: boolean } {
  const flag = bytes[0]! >> 4
  const odd = flag & 1
  const path = new Uint8Array((bytes.length - 1) * 2 + odd)
  let o = 0
  if (odd) path[o++] = bytes[0]! & 0x0f
  for (let i = 1; i < bytes.length; i++) {
    path[o++] = bytes[i]! >> 4
    path[o++] = bytes[i]! & 0x0f
  }
  return { path, leaf: flag >= 2 }
}

/** The RLP string encoding of `bytes`. */
export function rlpString(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 1 && bytes[0]! < 0x80) return bytes
  const headerLength = lengthHeaderSize(bytes.length)
  const out = new Uint8Array(headerLength + bytes.length)
  writeLengthHeader(out, 0x80, bytes.length, headerLength)
  out.set(bytes, headerLength)
  return out
}

/** An RLP list of already-encoded items. */
export function rlpList(items: Uint8Array[]): Uint8Array {
  let length = 0
  for (const item of items) length += item.length
  const headerLength = lengthHeaderSize(length)
  const out = new Uint8Array(headerLength + length)
  writeLengthHeader(out, 0xc0, length, headerLength)
  let offset = headerLength
  for (const item of items) {
    out.set(item, offset)
    offset += item.length
  }
  return out
}

/** Bytes of an RLP header for a payload of `length`: one below 56, else one plus the length's big-endian bytes. */
function lengthHeaderSize(length: number): number {
  if (length < 56) return 1
  let size = 1
  for (let n = length; n > 0; n = Math.floor(n / 256)) size++
  return size
}

/** Writes the header at the start of `out` (no intermediate array: this runs for every node and account encoded). */
function writeLengthHeader(out: Uint8Array, offset: number, length: number, headerLength: number): void {
  if (headerLength === 1) {
    out[0] = offset + length
    return
  }
  out[0] = offset + 55 + headerLength - 1
  for (let i = headerLength - 1, n = length; i >= 1; i--, n = Math.floor(n / 256)) out[i] = n % 256
}
