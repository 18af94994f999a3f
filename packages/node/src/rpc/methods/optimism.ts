import { bytesToHex, Address as EjsAddress } from '@ethereumjs/util'
import {
  L2_TO_L1_MESSAGE_PASSER,
  type l1BlockRefJson,
  type l2BlockRefJson,
  type outputResponseJson,
  outputRootV0,
  type syncStatusJson,
  toRollupConfigJson,
} from '@opl/protocol'
import { type Address, type Hex, hexToBytes } from 'viem'
import { z } from 'zod'
import type { L1BlockRef } from '../../sequencer-ports.js'
import { type L2BlockRef, l2BlockRef } from '../../store/block-ref.js'
import type { RpcContext } from '../context.js'
import { RpcError, RpcErrorCode } from '../errors.js'
import { type MethodTable, method, noParams } from '../method.js'
import { zQuantity } from '../params.js'

const ZERO_REF: L1BlockRef = {
  hash: `0x${'00'.repeat(32)}`,
  number: 0,
  parentHash: `0x${'00'.repeat(32)}`,
  timestamp: 0,
}
export const OP_NODE_VERSION = 'v0.1.0-opl'

async function blockRef(ctx: RpcContext, number: bigint): Promise<L2BlockRef> {
  const block = await ctx.store.block(number)
  if (!block) throw new RpcError(RpcErrorCode.server, 'not found')
  return l2BlockRef(block.header, block.transactions[0])
}

/**
 * op-node's SyncStatus as it goes over the wire: the input side of the schema op-batcher's and op-proposer's roles
 * parse it with (@opl/protocol `syncStatusJson`), plus the keys op-node also sends that they do not read.
 */
type SyncStatusResult = z.input<typeof syncStatusJson> & {
  current_l1_finalized: z.input<typeof l1BlockRefJson>
  pending_safe_l2: z.input<typeof l2BlockRefJson>
  cross_unsafe_l2: z.input<typeof l2BlockRefJson>
  local_safe_l2: z.input<typeof l2BlockRefJson>
}

async function syncStatus(ctx: RpcContext): Promise<SyncStatusResult> {
  const l1 = ctx.sequencer?.l1Status() ?? {}
  const unsafe = await blockRef(ctx, ctx.store.headNumber)
  const safe = await blockRef(ctx, ctx.store.label('safe'))
  const finalized = await blockRef(ctx, ctx.store.label('finalized'))
  return {
    current_l1: l1.current ?? ZERO_REF,
    current_l1_finalized: l1.finalized ?? ZERO_REF,
    head_l1: l1.head ?? ZERO_REF,
    safe_l1: l1.safe ?? ZERO_REF,
    finalized_l1: l1.finalized ?? ZERO_REF,
    unsafe_l2: unsafe,
    safe_l2: safe,
    finalized_l2: finalized,
    pending_safe_l2: safe,
    cross_unsafe_l2: unsafe,
    local_safe_l2: safe,
  }
}

/** op-node's OutputResponse (@opl/protocol `outputResponseJson`, wire side) with its `syncStatus`. */
type OutputAtBlockResult = z.input<typeof outputResponseJson> & { syncStatus: SyncStatusResult }

/** optimism_* (the rollup-node API op-proposer and op-batcher call) served by the node itself. */
export const optimismMethods: MethodTable = {
  optimism_syncStatus: method(noParams, (_params, { ctx }) => syncStatus(ctx)),
  optimism_version: method(noParams, () => OP_NODE_VERSION),
  optimism_rollupConfig: method(noParams, (_params, { ctx }) => {
    if (!ctx.rollupConfig) throw new RpcError(RpcErrorCode.server, 'rollup config not loaded')
    return toRollupConfigJson(ctx.rollupConfig)
  }),
  optimism_outputAtBlock: method(z.tuple([zQuantity]), async ([number], { ctx }): Promise<OutputAtBlockResult> => {
    if (number > ctx.store.headNumber) throw new RpcError(RpcErrorCode.server, 'not found')
    const header = await ctx.store.header(number)
    if (!header) throw new RpcError(RpcErrorCode.server, 'not found')
    const state = ctx.engine.stateAt(header.stateRoot)
    const passer = new EjsAddress(hexToBytes(L2_TO_L1_MESSAGE_PASSER as Address))
    const account = await state.getAccount(passer)
    if (!account) throw new RpcError(RpcErrorCode.server, 'L2ToL1MessagePasser missing from state')
    const withdrawalStorageRoot = bytesToHex(account.storageRoot) as Hex
    const stateRoot = bytesToHex(header.stateRoot) as Hex
    const blockHash = bytesToHex(header.hash()) as Hex
    return {
      version: `0x${'00'.repeat(32)}`,
      outputRoot: outputRootV0({ stateRoot, messagePasserStorageRoot: withdrawalStorageRoot, blockHash }),
      blockRef: await blockRef(ctx, number),
      withdrawalStorageRoot,
      stateRoot,
      syncStatus: await syncStatus(ctx),
    }
  }),
}
