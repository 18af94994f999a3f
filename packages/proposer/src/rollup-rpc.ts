import type { Hex } from 'viem'
import { z } from 'zod'
import { RollupRpcShapeError } from './errors.js'

const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/) as unknown as z.ZodType<Hex>
/** op-node marshals uint64 as a plain JSON number (Go), not a hex QUANTITY: accept only that. */
const u64 = z.number().int().nonnegative()
const l1Ref = z.object({ hash, number: u64, parentHash: hash, timestamp: u64 })
const l2Ref = l1Ref.extend({ l1origin: z.object({ hash, number: u64 }), sequenceNumber: u64 })

export const SyncStatusShape = z.object({
  current_l1: l1Ref,
  head_l1: l1Ref,
  safe_l1: l1Ref,
  finalized_l1: l1Ref,
  unsafe_l2: l2Ref,
  safe_l2: l2Ref,
  finalized_l2: l2Ref,
})
export type SyncStatus = z.output<typeof SyncStatusShape>
export type L1BlockRef = z.output<typeof l1Ref>
export type L2BlockRef = z.output<typeof l2Ref>

export const OutputResponseShape = z.object({
  version: hash,
  outputRoot: hash,
  blockRef: l2Ref,
  withdrawalStorageRoot: hash,
  stateRoot: hash,
})
export type OutputResponse = z.output<typeof OutputResponseShape>

/** The two rollup-node (op-node) methods the proposer calls, over plain JSON-RPC. */
export class RollupRpcClient {
  private id = 0

  constructor(
    private readonly url: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async syncStatus(): Promise<SyncStatus> {
    return parse(SyncStatusShape, await this.call('optimism_syncStatus', []), 'optimism_syncStatus')
  }

  /** The block number goes out as a hex QUANTITY, as op-proposer sends it. */
  async outputAtBlock(blockNumber: bigint): Promise<OutputResponse> {
    const result = await this.call('optimism_outputAtBlock', [`0x${blockNumber.toString(16)}`])
    return parse(OutputResponseShape, result, 'optimism_outputAtBlock')
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
