import type { BatchDBOp, DB, EncodingOpts } from '@ethereumjs/util'

/** One write of an atomic batch; `value: undefined` deletes. Keys are the MPT's unprefixed-hex node keys. */
export type NodeWrite = { key: string; value: Uint8Array | undefined }

/** Where trie nodes finally live. `write` must apply all writes atomically. */
export interface NodeBackend {
  get(key: string): Promise<Uint8Array | undefined>
  write(writes: NodeWrite[]): Promise<void>
  close(): Promise<void>
}

/**
 * The MPT's node database. Writes are buffered until `commit()`, which hands them to the backend as ONE batch: a
 * block's trie nodes become durable together or not at all (a crash mid-block leaves the previous root intact).
 * The MPT must be created with `valueEncoding: ValueEncoding.Bytes` so values arrive as bytes.
 */
export class NodeDB implements DB<string, string | Uint8Array> {
  private pending = new Map<string, Uint8Array | undefined>()
  /**
   * Durable nodes read or written lately, oldest first (bounded). Every block walks the same upper trie levels and
   * the paths it just wrote; without this they were LevelDB reads (classic-level `_get` was the top self-time entry of
   * the sequencer's thread). Keys are node hashes, so a cached value never goes stale.
   */
  private readonly recent = new Map<string, Uint8Array>()

  constructor(
    readonly backend: NodeBackend,
    private readonly recentLimit = 100_000,
  ) {}

  async get(key: string, _opts?: EncodingOpts): Promise<Uint8Array | undefined> {
    if (this.pending.has(key)) return this.pending.get(key)
    const cached = this.recent.get(key)
    if (cached) return cached
    const value = await this.backend.get(key)
    if (value) this.remember(key, value)
    return value
  }

  private remember(key: string, value: Uint8Array): void {
    this.recent.set(key, value)
    if (this.recent.size > this.recentLimit) this.recent.delete(this.recent.keys().next().value!)
  }

  async put(key: string, value: string | Uint8Array, _opts?: EncodingOpts): Promise<void> {
    this.pending.set(key, toBytes(value))
  }

  async del(key: string, _opts?: EncodingOpts): Promise<void> {
    this.pending.set(key, undefined)
  }

  async batch(ops: BatchDBOp<string, string | Uint8Array>[]): Promise<void> {
    for (const op of ops) this.pending.set(op.key, op.type === 'put' ? toBytes(op.value) : undefined)
  }

  /** Writes not yet committed, for a caller that wants to add its own records to the same atomic batch. */
  pendingWrites(): NodeWrite[] {
    return [...this.pending].map(([key, value]) => ({ key, value }))
  }

  get pendingCount(): number {
    return this.pending.size
  }

  /** Flushes every buffered node in one atomic backend write. */
  async commit(): Promise<void> {
    if (this.pending.size === 0) return
    await this.commitWith((writes) => this.backend.write(writes))
  }

  /**
   * Hands the buffered nodes to `write`, which must persist them atomically together with its own records (the block
   * store's batch); the buffer is cleared only once `write` resolved, so a failed write loses nothing.
   */
  async commitWith(write: (writes: NodeWrite[]) => Promise<void>): Promise<void> {
    const snapshot = this.pending
    await write(this.pendingWrites())
    for (const [key, value] of snapshot) {
      if (value) this.remember(key, value)
      else this.recent.delete(key)
    }
    if (this.pending === snapshot) this.pending = new Map()
  }

  /** Drops buffered writes (the block being built was abandoned). */
  discard(): void {
    this.pending = new Map()
  }

  shallowCopy(): DB<string, string | Uint8Array> {
    return this
  }

  async open(): Promise<void> {}
}

function toBytes(value: string | Uint8Array): Uint8Array {
  // With ValueEncoding.Bytes the MPT passes bytes; a string would be an unprefixed-hex value from String encoding.
  return typeof value === 'string' ? Buffer.from(value, 'hex') : value
}
