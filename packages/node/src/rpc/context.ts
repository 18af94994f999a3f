import type { BlockHeader } from '@ethereumjs/block'
import type { RollupConfig } from '@opl/protocol'
import type { Logger } from 'pino'
import type { Hex } from 'viem'
import type { Engine } from '../engine/engine.js'
import type { SequencerControl } from '../sequencer-ports.js'
import type { ChainStore } from '../store/chain-store.js'
import type { TxPool } from '../txpool/tx-pool.js'
import { invalidParams, RpcError, RpcErrorCode } from './errors.js'
import type { FilterRegistry } from './filters.js'
import type { BlockRef } from './params.js'
import type { SubscriptionHub } from './subscriptions.js'

/** Everything an RPC method may use. Optional parts are absent on nodes that don't run them. */
export type RpcContext = {
  engine: Engine
  store: ChainStore
  pool: TxPool
  log: Logger
  filters: FilterRegistry
  subscriptions: SubscriptionHub
  clientVersion: string
  rollupConfig?: RollupConfig
  sequencer?: SequencerControl
  /** a node without a tx pool (verifier) hands eth_sendRawTransaction here instead of `pool` */
  sendRawTransaction?: (raw: Hex) => Promise<Hex>
  /** caps: eth_getLogs block range and result count, eth_call/estimateGas gas */
  limits: { logsBlockRange: bigint; logsMaxResults: number; rpcGasCap: bigint }
}

/** A WebSocket connection, for eth_subscribe; HTTP calls have none. */
export type Connection = {
  id: number
  send(message: unknown): void
  onClose(listener: () => void): void
}

/** Resolves a block tag / EIP-1898 reference to a canonical number; -32000 "header not found" if it doesn't exist. */
export async function resolveBlockNumber(ctx: RpcContext, ref: BlockRef | undefined): Promise<bigint> {
  const store = ctx.store
  if (ref === undefined || ref === 'latest' || ref === 'pending') return store.headNumber
  if (ref === 'earliest') return 0n
  if (ref === 'safe' || ref === 'finalized') return store.label(ref)
  if (typeof ref === 'bigint') return ref
  if ('blockHash' in ref) {
    const number = await store.numberOf(ref.blockHash as Hex)
    if (number === undefined) throw new RpcError(RpcErrorCode.server, `header for hash not found`)
    return number
  }
  return ref.blockNumber
}

export async function resolveHeader(ctx: RpcContext, ref: BlockRef | undefined): Promise<BlockHeader> {
  const number = await resolveBlockNumber(ctx, ref)
  const header = number <= ctx.store.headNumber ? await ctx.store.header(number) : undefined
  if (!header) throw new RpcError(RpcErrorCode.server, 'header not found')
  return header
}

export function assertNever(value: never): never {
  throw invalidParams(`unexpected ${String(value)}`)
}
