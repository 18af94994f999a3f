import { ClassicLevel } from 'classic-level'
import type { NodeBackend, NodeWrite } from './node-db.js'

type Level = ClassicLevel<string, Uint8Array>

function trieSublevel(db: Level) {
  return db.sublevel<string, Uint8Array>('trie', { keyEncoding: 'utf8', valueEncoding: 'view' })
}

/**
 * LevelDB node backend (classic-level). Trie nodes live in the `trie` sublevel so the block store can share the same
 * database and put its own records into the same atomic batch (`db.batch` spans sublevels atomically).
 */
export class LevelNodeBackend implements NodeBackend {
  readonly db: Level
  readonly trie: ReturnType<typeof trieSublevel>

  private constructor(db: Level) {
    this.db = db
    this.trie = trieSublevel(db)
  }

  static async open(path: string): Promise<LevelNodeBackend> {
    const db = new ClassicLevel<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' })
    await db.open()
    return new LevelNodeBackend(db)
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return (await this.trie.get(key)) ?? undefined
  }

  async write(writes: NodeWrite[]): Promise<void> {
    const batch = this.db.batch()
    for (const { key, value } of writes) {
      if (value === undefined) batch.del(key, { sublevel: this.trie })
      else batch.put(key, value, { sublevel: this.trie })
    }
    await batch.write()
  }

  async close(): Promise<void> {
    await this.db.close()
  }
}
