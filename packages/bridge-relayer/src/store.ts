import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { StoreCorruptError } from './errors.js'
import type { RelayerState } from './records.js'

export const STATE_FILE = 'relayer-state.json'

/**
 * The relayer's durable state: one JSON file, replaced atomically (write a temp file, fsync it, rename over the
 * old one, fsync the directory), so a crash leaves either the old or the new state, never a torn one. Every
 * change is on disk before the relayer acts on it or reports it.
 */
export class JsonStore {
  private writing: Promise<void> = Promise.resolve()

  private constructor(
    readonly path: string,
    private current: RelayerState,
  ) {}

  static async open(dataDir: string, initial: () => RelayerState): Promise<JsonStore> {
    await mkdir(dataDir, { recursive: true })
    const path = join(dataDir, STATE_FILE)
    let text: string | undefined
    try {
      text = await readFile(path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    if (text === undefined) {
      const store = new JsonStore(path, initial())
      await store.write()
      return store
    }
    let state: RelayerState
    try {
      state = JSON.parse(text) as RelayerState
    } catch (error) {
      throw new StoreCorruptError('state file is not JSON', { path }, { cause: error })
    }
    if (state.version !== 1 || typeof state.withdrawals !== 'object' || typeof state.deposits !== 'object')
      throw new StoreCorruptError('state file is not a relayer state (version 1)', { path })
    return new JsonStore(path, state)
  }

  get state(): Readonly<RelayerState> {
    return this.current
  }

  /** Applies `change` to a copy and persists it; the in-memory state moves only once the file is durable. */
  async update(change: (draft: RelayerState) => void): Promise<void> {
    const run = this.writing.then(async () => {
      const draft = structuredClone(this.current)
      change(draft)
      await this.write(draft)
      this.current = draft
    })
    this.writing = run.catch(() => undefined)
    return run
  }

  private async write(state: RelayerState = this.current): Promise<void> {
    const tmp = `${this.path}.tmp`
    const file = await open(tmp, 'w')
    try {
      await file.writeFile(JSON.stringify(state, null, 1))
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(tmp, this.path)
    const dir = await open(dirname(this.path), 'r')
    try {
      await dir.sync()
    } finally {
      await dir.close()
    }
  }
}
