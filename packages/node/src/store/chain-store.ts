import { type BlockHeader, createBlockHeaderFromRLP } from '@ethereumjs/block'
import { RLP } from '@ethereumjs/rlp'
import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import type { BatchOperation } from 'classic-level'
import type { Hex } from 'viem'
import type { SealedBlock } from '../engine/block-builder.js'
import type { LevelNodeBackend } from '../engine/db/level-backend.js'
import type { NodeWrite } from '../engine/db/node-db.js'
import type { Engine } from '../engine/engine.js'
import { EngineError } from '../engine/errors.js'
import type { EngineReceipt } from '../engine/receipts.js'
import { decodeTransaction, type EngineTx } from '../engine/transactions.js'
import type { BlockSink } from '../sequencer-ports.js'
import { type HeadLabel, type MetaRecord, numberKey, SUBLEVELS } from './keys.js'
import { decodeReceipts, encodeReceipts } from './receipt-codec.js'

/** A canonical block as the RPC layer reads it. */
export type StoredBlock = {
  header: BlockHeader
  hash: Hex
  transactions: EngineTx[]
}

/** A block a rewind dropped, with its receipts (read before the batch deleted them) for removed-log notifications. */
export type DroppedBlock = StoredBlock & { receipts: EngineReceipt[] }

export type TxLocation = { blockNumber: bigint; index: number }

/** The store refused to open or write: wrong data dir, corrupt records, or a block that does not extend the head. */
export class StoreError extends EngineError {
  override name = 'StoreError'
}

type Level = LevelNodeBackend['db']
type BatchOp = BatchOperation<Level, string, Uint8Array>

export type ChainStoreOptions = {
  /** fsync every block's batch (default): survives a machine crash, not only a process crash */
  sync?: boolean
  /** how many recently read or written blocks (and their receipts) to keep decoded in memory */
  cacheSize?: number
}

/** Decoded block and, once asked for, its receipts: eth_getTransactionReceipt polls hit the same few blocks. */
type CacheEntry = { block: StoredBlock; receipts?: EngineReceipt[] }

/** BLOCKHASH looks back 256 blocks: the engine needs that many canonical hashes below its head. */
const BLOCKHASH_WINDOW = 256n

/**
 * The canonical chain on LevelDB, in the same database as the trie nodes. Each block (header, txs, receipts, hash and
 * tx indexes, the head pointer AND the block's trie nodes) is one atomic `db.batch`: after a crash the store is at
 * some block boundary, never in between, and the head pointer always names a block whose state is complete.
 */
export class ChainStore implements BlockSink {
  private readonly headers
  private readonly bodies
  private readonly receiptsDb
  private readonly hashes
  private readonly txs
  private readonly meta
  private readonly cache = new Map<bigint, CacheEntry>()
  private readonly listeners = new Set<(block: StoredBlock, receipts: EngineReceipt[]) => void>()
  private readonly rewindListeners = new Set<(head: StoredBlock, dropped: DroppedBlock[]) => void>()
  private labels: Record<HeadLabel, bigint> = { head: 0n, safe: 0n, finalized: 0n }

  private constructor(
    readonly engine: Engine,
    private readonly db: Level,
    private readonly options: Required<ChainStoreOptions>,
  ) {
    const sub = (name: string) => db.sublevel<string, Uint8Array>(name, { keyEncoding: 'utf8', valueEncoding: 'view' })
    this.headers = sub(SUBLEVELS.headers)
    this.bodies = sub(SUBLEVELS.bodies)
    this.receiptsDb = sub(SUBLEVELS.receipts)
    this.hashes = sub(SUBLEVELS.hashes)
    this.txs = sub(SUBLEVELS.txs)
    this.meta = sub(SUBLEVELS.meta)
  }

  /**
   * Opens the store over the engine's LevelDB. A fresh database gets the genesis block; an existing one must hold the
   * same genesis (else it belongs to another chain) and the engine is moved to the persisted head, with the BLOCKHASH
   * window refilled.
   */
  static async open(engine: Engine, backend: LevelNodeBackend, options: ChainStoreOptions = {}): Promise<ChainStore> {
    const store = new ChainStore(engine, backend.db, {
      sync: options.sync ?? true,
      cacheSize: options.cacheSize ?? 128,
    })
    await store.recover()
    return store
  }

  private async recover(): Promise<void> {
    const genesisHash = bytesToHex(this.engine.genesis.hash()) as Hex
    const storedGenesis = await this.headers.get(numberKey(0n))
    if (!storedGenesis) {
      await this.db.batch(
        [
          ...this.blockOps(this.engine.genesis, genesisHash, [], []),
          ...(['safe', 'finalized'] as const).map(
            (label): BatchOp => ({ type: 'put', sublevel: this.meta, key: label, value: hexToBytes(genesisHash) }),
          ),
        ],
        { sync: this.options.sync },
      )
      return
    }
    const stored = this.decodeHeader(storedGenesis)
    if (bytesToHex(stored.hash()) !== genesisHash) {
      throw new StoreError('data dir holds another chain (genesis hash differs)', {
        stored: bytesToHex(stored.hash()),
        expected: genesisHash,
      })
    }
    for (const label of ['head', 'safe', 'finalized'] as const) {
      const hash = await this.meta.get(label)
      if (hash) this.labels[label] = (await this.numberOf(bytesToHex(hash) as Hex)) ?? 0n
    }
    const head = await this.header(this.labels.head)
    if (!head) throw new StoreError('head block missing', { number: this.labels.head })
    await this.moveEngineHead(head)
  }

  /** Reopens the engine's state at `head` and refills its BLOCKHASH window from the canonical headers below it. */
  private async moveEngineHead(head: BlockHeader): Promise<void> {
    const recent: [bigint, Uint8Array][] = []
    for (let n = head.number > BLOCKHASH_WINDOW ? head.number - BLOCKHASH_WINDOW : 0n; n <= head.number; n++) {
      const header = n === head.number ? head : await this.header(n)
      if (header) recent.push([n, header.hash()])
    }
    await this.engine.setHead(head, recent)
  }

  /** BlockSink: persists the block and its trie nodes in one batch, then makes it the engine's head. */
  async commitBlock(sealed: SealedBlock): Promise<void> {
    const hash = bytesToHex(sealed.hash) as Hex
    await this.engine.commit(sealed, async (nodes) => {
      const ops = this.blockOps(sealed.header, hash, sealed.transactions, sealed.receipts)
      await this.db.batch([...ops, ...nodeOps(this.db, nodes)], { sync: this.options.sync })
    })
    this.labels.head = sealed.header.number
    const block: StoredBlock = { header: sealed.header, hash, transactions: sealed.transactions }
    this.remember({ block, receipts: sealed.receipts })
    for (const listener of this.listeners) listener(block, sealed.receipts)
  }

  /**
   * Drops the canonical blocks above `number` (a reorg of the unsafe chain: derivation replaces blocks that disagree
   * with L1). One atomic batch moves the head pointer, lowers safe/finalized to the new head if they were above it,
   * and deletes the dropped blocks' records and hash/tx index entries, so a crash leaves the store at the old head or
   * the new one, and no lookup returns a dropped block or tx. Trie nodes stay (the store is an archive; they are
   * content-addressed and may be shared). Then the engine head moves there with its BLOCKHASH window refilled, and
   * `onRewind` listeners get the new head and the dropped blocks (oldest first). No-op at the head.
   */
  async rewind(number: bigint): Promise<void> {
    const oldHead = this.labels.head
    if (number === oldHead) return
    const target = number > oldHead || number < 0n ? undefined : await this.block(number)
    if (!target) throw new StoreError('cannot rewind: not a canonical block', { number, head: oldHead })
    const dropped: DroppedBlock[] = []
    for (let n = number + 1n; n <= oldHead; n++) {
      const [block, receipts] = await Promise.all([this.block(n), this.receipts(n)])
      if (!block || !receipts) throw new StoreError('canonical block missing during rewind', { number: n })
      dropped.push({ ...block, receipts })
    }
    const ops: BatchOp[] = [{ type: 'put', sublevel: this.meta, key: 'head', value: hexToBytes(target.hash) }]
    for (const label of ['safe', 'finalized'] as const) {
      if (this.labels[label] > number) {
        ops.push({ type: 'put', sublevel: this.meta, key: label, value: hexToBytes(target.hash) })
      }
    }
    for (const block of dropped) {
      const key = numberKey(block.header.number)
      ops.push(
        { type: 'del', sublevel: this.headers, key },
        { type: 'del', sublevel: this.bodies, key },
        { type: 'del', sublevel: this.receiptsDb, key },
        { type: 'del', sublevel: this.hashes, key: block.hash },
        ...block.transactions.map((tx): BatchOp => ({ type: 'del', sublevel: this.txs, key: bytesToHex(tx.hash) })),
      )
    }
    await this.db.batch(ops, { sync: this.options.sync })
    this.labels.head = number
    for (const label of ['safe', 'finalized'] as const) {
      if (this.labels[label] > number) this.labels[label] = number
    }
    for (const key of [...this.cache.keys()]) if (key > number) this.cache.delete(key)
    await this.moveEngineHead(target.header)
    for (const listener of this.rewindListeners) listener(target, dropped)
  }

  /** Called after a rewind with the new head and the blocks dropped above it (logs removed, pool re-checks). */
  onRewind(listener: (head: StoredBlock, dropped: DroppedBlock[]) => void): () => void {
    this.rewindListeners.add(listener)
    return () => this.rewindListeners.delete(listener)
  }

  /**
   * Persists a JSON record under `key` in the store's meta records (derivation's safe-block → L1-block record), fsynced
   * like a block.
   */
  async putMeta(key: MetaRecord, value: unknown): Promise<void> {
    const bytes = new TextEncoder().encode(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))
    await this.db.batch([{ type: 'put', sublevel: this.meta, key, value: bytes }], { sync: this.options.sync })
  }

  /** The record `putMeta` stored (bigints restored), or undefined. */
  async getMeta(key: MetaRecord): Promise<unknown> {
    const bytes = await this.meta.get(key)
    if (!bytes) return undefined
    return JSON.parse(new TextDecoder().decode(bytes), (_k, v) =>
      typeof v === 'string' && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v,
    )
  }

  private blockOps(
    header: BlockHeader,
    hash: Hex,
    transactions: readonly EngineTx[],
    receipts: readonly EngineReceipt[],
  ): BatchOp[] {
    const key = numberKey(header.number)
    const ops: BatchOp[] = [
      { type: 'put', sublevel: this.headers, key, value: header.serialize() },
      { type: 'put', sublevel: this.bodies, key, value: RLP.encode(transactions.map((tx) => tx.raw)) },
      { type: 'put', sublevel: this.receiptsDb, key, value: encodeReceipts(receipts) },
      { type: 'put', sublevel: this.hashes, key: hash, value: new TextEncoder().encode(key) },
      { type: 'put', sublevel: this.meta, key: 'head', value: hexToBytes(hash) },
    ]
    transactions.forEach((tx, index) => {
      ops.push({
        type: 'put',
        sublevel: this.txs,
        key: bytesToHex(tx.hash),
        value: new TextEncoder().encode(`${key}:${index}`),
      })
    })
    return ops
  }

  /** Called with every block right after it became durable (subscriptions, filters, the tx pool). */
  onBlock(listener: (block: StoredBlock, receipts: EngineReceipt[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  label(label: HeadLabel): bigint {
    return this.labels[label]
  }

  get headNumber(): bigint {
    return this.labels.head
  }

  /** Moves the safe or finalized label (derivation / the sequencer's L1 view); never past the head. */
  async setLabel(label: 'safe' | 'finalized', number: bigint): Promise<void> {
    const header = await this.header(number)
    if (!header || number > this.labels.head) throw new StoreError(`unknown block for ${label}`, { number })
    await this.db.batch([{ type: 'put', sublevel: this.meta, key: label, value: header.hash() }], {
      sync: this.options.sync,
    })
    this.labels[label] = number
  }

  async header(number: bigint): Promise<BlockHeader | undefined> {
    const cached = this.cache.get(number)
    if (cached) return cached.block.header
    const bytes = await this.headers.get(numberKey(number))
    return bytes ? this.decodeHeader(bytes) : undefined
  }

  async numberOf(hash: Hex): Promise<bigint | undefined> {
    const key = await this.hashes.get(hash.toLowerCase())
    if (!key) return undefined
    const number = BigInt(`0x${new TextDecoder().decode(key)}`)
    // a hash indexed by a block that a reorg replaced is not canonical any more
    const header = await this.header(number)
    return header && bytesToHex(header.hash()) === hash.toLowerCase() ? number : undefined
  }

  async block(number: bigint): Promise<StoredBlock | undefined> {
    if (number > this.labels.head) return undefined
    const cached = this.cached(number)
    if (cached) return cached.block
    const [headerBytes, body] = await Promise.all([
      this.headers.get(numberKey(number)),
      this.bodies.get(numberKey(number)),
    ])
    if (!headerBytes || !body) return undefined
    const header = this.decodeHeader(headerBytes)
    const raws = RLP.decode(body) as Uint8Array[]
    const block: StoredBlock = {
      header,
      hash: bytesToHex(header.hash()) as Hex,
      transactions: raws.map((raw) => decodeTransaction(raw, this.engine.common)),
    }
    this.remember({ block })
    return block
  }

  async receipts(number: bigint): Promise<EngineReceipt[] | undefined> {
    if (number > this.labels.head) return undefined
    const cached = this.cached(number)
    if (cached?.receipts) return cached.receipts
    const bytes = await this.receiptsDb.get(numberKey(number))
    if (!bytes) return undefined
    const receipts = decodeReceipts(bytes)
    // only next to its block: the entry is keyed by number, the block says which chain the receipts belong to
    if (cached) cached.receipts = receipts
    return receipts
  }

  async txLocation(hash: Hex): Promise<TxLocation | undefined> {
    const value = await this.txs.get(hash.toLowerCase())
    if (!value) return undefined
    const [key, index] = new TextDecoder().decode(value).split(':')
    const location = { blockNumber: BigInt(`0x${key}`), index: Number(index) }
    // the index of a tx from a block replaced by a reorg points at a block that no longer has it
    const block = await this.block(location.blockNumber)
    const tx = block?.transactions[location.index]
    return tx && bytesToHex(tx.hash) === hash.toLowerCase() ? location : undefined
  }

  /** A cache hit, moved to the young end (LRU). */
  private cached(number: bigint): CacheEntry | undefined {
    const entry = this.cache.get(number)
    if (entry) {
      this.cache.delete(number)
      this.cache.set(number, entry)
    }
    return entry
  }

  private remember(entry: CacheEntry): void {
    this.cache.delete(entry.block.header.number)
    this.cache.set(entry.block.header.number, entry)
    if (this.cache.size > this.options.cacheSize) {
      const oldest = this.cache.keys().next().value
      if (oldest !== undefined) this.cache.delete(oldest)
    }
  }

  private decodeHeader(bytes: Uint8Array): BlockHeader {
    return createBlockHeaderFromRLP(bytes, { common: this.engine.common, skipConsensusFormatValidation: true })
  }
}

function nodeOps(db: Level, nodes: NodeWrite[]): BatchOp[] {
  const trie = db.sublevel<string, Uint8Array>('trie', { keyEncoding: 'utf8', valueEncoding: 'view' })
  return nodes.map(
    ({ key, value }): BatchOp =>
      value === undefined ? { type: 'del', sublevel: trie, key } : { type: 'put', sublevel: trie, key, value },
  )
}
