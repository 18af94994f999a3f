import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { access, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Hex } from 'viem'
import { BLOB_FILE_HEADER, decodeBlobHeader, encodeBlobHeader } from './blob-file.js'
import { CorruptBlobError } from './errors.js'
import { keccak256Native } from './keccak.js'

export type StoredBlob = { data: Uint8Array; storedAtMs: number }

export type DiskStoreOptions = {
  dir: string
  /** Read on every access so `PATCH /memstore/config` takes effect at once; 0 = never expire. */
  expiryMs: () => number
  /** Bytes of blob data kept in memory for fast gets; the disk stays the source of truth. */
  cacheBytes: number
  now?: () => number
}

type IndexEntry = { size: number; storedAtMs: number }

/**
 * Content-addressed blob store: one file per keccak256(data). Both commitment modes land here (a dev cert and a
 * keccak commitment both name the data by its hash), so the same bytes are stored once.
 *
 * Durability: a put writes a temp file, fsyncs it, renames it over the final name and fsyncs the directory before
 * it resolves, so the caller can answer 200 only once a crash can no longer lose the blob. A crash mid-put leaves at
 * most a `.tmp-*` file, removed on the next open.
 */
export class DiskStore {
  private readonly index = new Map<Hex, IndexEntry>()
  private readonly cache = new Map<Hex, Uint8Array>()
  private cachedBytes = 0
  private readonly blobDir: string
  private readonly now: () => number

  private constructor(private readonly options: DiskStoreOptions) {
    this.blobDir = join(options.dir, 'blobs')
    this.now = options.now ?? Date.now
  }

  /** Resolves when the blob directory exists and is writable (readiness); rejects with the fs error otherwise. */
  async checkWritable(): Promise<void> {
    await access(this.blobDir, constants.W_OK)
  }

  /** Opens (creating if needed) the store and indexes what a previous run left, dropping unfinished temp files. */
  static async open(options: DiskStoreOptions): Promise<DiskStore> {
    const store = new DiskStore(options)
    await mkdir(store.blobDir, { recursive: true })
    for (const name of await readdir(store.blobDir)) {
      const path = join(store.blobDir, name)
      if (name.startsWith('.tmp-')) {
        await rm(path, { force: true })
        continue
      }
      const match = /^([0-9a-f]{64})\.blob$/.exec(name)
      if (!match) continue
      const handle = await open(path, 'r')
      try {
        const header = new Uint8Array(BLOB_FILE_HEADER)
        await handle.read(header, 0, BLOB_FILE_HEADER, 0)
        const { size } = await handle.stat()
        const { storedAtMs } = decodeBlobHeader(header, path)
        store.index.set(`0x${match[1]}`, { size: size - BLOB_FILE_HEADER, storedAtMs })
      } finally {
        await handle.close()
      }
    }
    return store
  }

  get count(): number {
    return this.index.size
  }

  /** Stores `data` durably and returns its keccak256. */
  async put(data: Uint8Array): Promise<Hex> {
    const hash = keccak256Native(data)
    const storedAtMs = this.now()
    const final = this.pathOf(hash)
    const tmp = join(this.blobDir, `.tmp-${randomBytes(8).toString('hex')}`)
    const handle = await open(tmp, 'w')
    try {
      await handle.writev([encodeBlobHeader(storedAtMs), data])
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tmp, final)
    await this.syncDir()
    this.index.set(hash, { size: data.length, storedAtMs })
    this.remember(hash, data)
    return hash
  }

  /**
   * The blob stored under `hash`, or undefined when there is none or it has expired. What comes from disk is re-hashed
   * and must match its name (CorruptBlobError otherwise), so a caller holding a cert for `hash` only has to check the
   * length; the memory copy was hashed when it was put.
   */
  async get(hash: Hex): Promise<StoredBlob | undefined> {
    const key = hash.toLowerCase() as Hex
    const entry = this.index.get(key)
    if (!entry) return undefined
    if (this.expired(entry)) {
      await this.remove(key)
      return undefined
    }
    const cached = this.cache.get(key)
    if (cached) {
      // Refresh its place in the insertion order, so eviction drops the least recently used first.
      this.cache.delete(key)
      this.cache.set(key, cached)
      return { data: cached, storedAtMs: entry.storedAtMs }
    }
    let file: Buffer
    try {
      file = await readFile(this.pathOf(key))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.index.delete(key)
        return undefined
      }
      throw error
    }
    const { storedAtMs } = decodeBlobHeader(file, this.pathOf(key))
    const data = new Uint8Array(file.buffer, file.byteOffset + BLOB_FILE_HEADER, file.length - BLOB_FILE_HEADER)
    if (data.length !== entry.size) throw new CorruptBlobError(`${this.pathOf(key)}: size changed on disk`)
    const actual = keccak256Native(data)
    if (actual !== key) throw new CorruptBlobError(`${this.pathOf(key)}: data on disk hashes to ${actual}`)
    this.remember(key, data)
    return { data, storedAtMs }
  }

  /** Deletes every expired blob; returns how many. */
  async sweep(): Promise<number> {
    let removed = 0
    for (const [hash, entry] of [...this.index]) {
      if (this.expired(entry)) {
        await this.remove(hash)
        removed++
      }
    }
    return removed
  }

  /** Bytes on disk under `hash` (tests use it to damage a blob on purpose). */
  pathOf(hash: Hex): string {
    return join(this.blobDir, `${hash.slice(2).toLowerCase()}.blob`)
  }

  /** Forgets the in-memory copy of `hash`, so the next get reads the disk. */
  evict(hash: Hex): void {
    const key = hash.toLowerCase() as Hex
    const data = this.cache.get(key)
    if (data) {
      this.cache.delete(key)
      this.cachedBytes -= data.length
    }
  }

  private expired(entry: IndexEntry): boolean {
    const expiry = this.options.expiryMs()
    return expiry > 0 && this.now() >= entry.storedAtMs + expiry
  }

  private async remove(hash: Hex): Promise<void> {
    this.index.delete(hash)
    this.evict(hash)
    await rm(this.pathOf(hash), { force: true })
  }

  private remember(hash: Hex, data: Uint8Array): void {
    if (data.length > this.options.cacheBytes) return
    this.evict(hash)
    this.cache.set(hash, data)
    this.cachedBytes += data.length
    for (const [oldest, bytes] of this.cache) {
      if (this.cachedBytes <= this.options.cacheBytes) break
      this.cache.delete(oldest)
      this.cachedBytes -= bytes.length
    }
  }

  private async syncDir(): Promise<void> {
    // The rename is durable only once the directory entry is: fsync the directory itself.
    const dir = await open(this.blobDir, 'r')
    try {
      await dir.sync()
    } finally {
      await dir.close()
    }
  }
}
