import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Hex } from 'viem'
import { IndexVersionError, ShardFormatError } from '../errors.js'
import { Catalog, type CatalogEntry } from '../ingest/catalog.js'
import { canonicalJson } from '../scoring/canonical-json.js'
import type { EncodingName } from '../tokenizer/create-tokenizer.js'
import type { ShardMemory } from './shard.js'
import { decodeShardFile, type EncodedShard, sha256Hex } from './shard-format.js'

export type ShardRef = { hash: Hex; kind: 'base' | 'delta'; positions: number; rows: number; firstRow: number }

/** An index version: what a query ran against. Its hash is the SHA-256 of this object's canonical JSON. */
export type VersionManifest = { format: 1; tokenizer: EncodingName; catalog: Hex; shards: ShardRef[] }

/**
 * The index directory. Every file is named by the SHA-256 of its bytes, so a version hash pins the exact
 * shards and catalog; HEAD names the latest version. Writes go to a temp file and are renamed into place.
 *
 *   shards/<hash>.shard      shard files (format in shard-format.ts)
 *   catalogs/<hash>.json     row → contribution → contributor map
 *   versions/<hash>.json     VersionManifest
 *   HEAD                     latest version hash
 */
export class IndexStore {
  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    for (const sub of ['shards', 'catalogs', 'versions']) await mkdir(join(this.dir, sub), { recursive: true })
  }

  /** Stores a shard encoded (and hashed) elsewhere, e.g. on the worker that built it. */
  async writeShard(shard: EncodedShard): Promise<void> {
    await this.atomicWrite(join(this.dir, 'shards', `${shard.hash.slice(2)}.shard`), shard.file)
  }

  async readShard(hash: Hex): Promise<ShardMemory> {
    const file = new Uint8Array(await readFile(join(this.dir, 'shards', `${hash.slice(2)}.shard`)))
    if (sha256Hex(file) !== hash) throw new ShardFormatError('shard does not hash to its name', { hash })
    return decodeShardFile(file)
  }

  async writeCatalog(catalog: Catalog): Promise<Hex> {
    const bytes = new TextEncoder().encode(canonicalJson(catalog.toJSON()))
    const hash = sha256Hex(bytes)
    await this.atomicWrite(join(this.dir, 'catalogs', `${hash.slice(2)}.json`), bytes)
    return hash
  }

  async readCatalog(hash: Hex): Promise<Catalog> {
    const bytes = new Uint8Array(await readFile(join(this.dir, 'catalogs', `${hash.slice(2)}.json`)))
    if (sha256Hex(bytes) !== hash) throw new IndexVersionError('catalog does not hash to its name', { hash })
    return Catalog.fromJSON(JSON.parse(new TextDecoder().decode(bytes)) as { entries: CatalogEntry[] })
  }

  async writeVersion(manifest: VersionManifest): Promise<Hex> {
    const bytes = new TextEncoder().encode(canonicalJson(manifest))
    const hash = sha256Hex(bytes)
    await this.atomicWrite(join(this.dir, 'versions', `${hash.slice(2)}.json`), bytes)
    await this.atomicWrite(join(this.dir, 'HEAD'), new TextEncoder().encode(`${hash}\n`))
    return hash
  }

  async readVersion(hash: Hex): Promise<VersionManifest> {
    const path = join(this.dir, 'versions', `${hash.slice(2)}.json`)
    if (!existsSync(path)) throw new IndexVersionError('unknown index version', { hash })
    const bytes = new Uint8Array(await readFile(path))
    if (sha256Hex(bytes) !== hash) throw new IndexVersionError('version does not hash to its name', { hash })
    return JSON.parse(new TextDecoder().decode(bytes)) as VersionManifest
  }

  async readHead(): Promise<Hex | undefined> {
    const path = join(this.dir, 'HEAD')
    if (!existsSync(path)) return undefined
    return (await readFile(path, 'utf8')).trim() as Hex
  }

  private async atomicWrite(path: string, bytes: Uint8Array): Promise<void> {
    const tmp = `${path}.${process.pid}.tmp`
    await writeFile(tmp, bytes)
    await rename(tmp, path)
  }
}
