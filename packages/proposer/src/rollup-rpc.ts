import {
  type L1BlockRefJson,
  type L2BlockRefJson,
  type OutputResponseJson,
  outputResponseJson,
  type SyncStatusJson,
  syncStatusJson,
} from '@opl/protocol'
import type { z } from 'zod'
import { RollupRpcShapeError } from './errors.js'

export type SyncStatus = SyncStatusJson
export type L1BlockRef = L1BlockRefJson
export type L2BlockRef = L2BlockRefJson
export type OutputResponse = OutputResponseJson

/** The two rollup-node (op-node) methods the proposer calls, over plain JSON-RPC. */
export class RollupRpcClient {
  private id = 0

  constructor(
    private readonly url: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async syncStatus(): Promise<SyncStatus> {
    return parse(syncStatusJson, await this.call('optimism_syncStatus', []), 'optimism_syncStatus')
  }

  /** The block number goes out as a hex QUANTITY, as op-proposer sends it. */
  async outputAtBlock(blockNumber: bigint): Promise<OutputResponse> {
    const result = await this.call('optimism_outputAtBlock', [`0x${blockNumber.toString(16)}`])
    return parse(outputResponseJson, result, 'optimism_outputAtBlock')
  }

  private async call(method: string, params: unknown[]): Promise<unknown> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++this.id, method, params }),
      signal: AbortSignal.timeout(this.timeoutMs),
    })
    const body = (await res.json()) as { result?: unknown; error?: { code: number; message: string } }
    if (body.error) throw new RollupRpcShapeError(`${method}: ${body.error.message}`, { code: body.error.code })
    return body.result
  }
}

function parse<T extends z.ZodType>(shape: T, value: unknown, method: string): z.output<T> {
  const parsed = shape.safeParse(value)
  if (!parsed.success)
    throw new RollupRpcShapeError(`${method} answer is not op-node's shape`, {
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    })
  return parsed.data
}
