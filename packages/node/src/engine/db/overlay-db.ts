import type { BatchDBOp, DB, EncodingOpts } from '@ethereumjs/util'

type NodeSource = { get(key: string, opts?: EncodingOpts): Promise<Uint8Array | undefined> }

/**
 * A throwaway node DB over a shared one: reads fall through, writes stay here. eth_call, eth_estimateGas and
 * eth_getProof run on it so a state manager flushing its caches can never slip nodes into the block being built.
 */
export class OverlayNodeDB implements DB<string, string | Uint8Array> {
  private readonly local = new Map<string, Uint8Array | undefined>()

  constructor(private readonly base: NodeSource) {}

  async get(key: string, opts?: EncodingOpts): Promise<Uint8Array | undefined> {
    if (this.local.has(key)) return this.local.get(key)
    return this.base.get(key, opts)
  }

  async put(key: string, value: string | Uint8Array): Promise<void> {
    this.local.set(key, typeof value === 'string' ? Buffer.from(value, 'hex') : value)
  }

  async del(key: string): Promise<void> {
    this.local.set(key, undefined)
  }

  async batch(ops: BatchDBOp<string, string | Uint8Array>[]): Promise<void> {
    for (const op of ops) {
      if (op.type === 'put') await this.put(op.key, op.value)
      else await this.del(op.key)
    }
  }

  shallowCopy(): DB<string, string | Uint8Array> {
    return this
  }

  async open(): Promise<void> {}
}
