import type { NodeBackend, NodeWrite } from './node-db.js'

/** In-memory node backend for tests and ephemeral nodes. */
export class MemoryNodeBackend implements NodeBackend {
  readonly nodes = new Map<string, Uint8Array>()
  batches = 0

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.nodes.get(key)
  }

  async write(writes: NodeWrite[]): Promise<void> {
    this.batches++
    for (const { key, value } of writes) {
      if (value === undefined) this.nodes.delete(key)
      else this.nodes.set(key, value)
    }
  }

  async close(): Promise<void> {}
}
