import { bytesToHex } from '@ethereumjs/util'
import type { Hex } from 'viem'
import { BlockBuilder } from '../../engine/block-builder.js'
import type { EngineTx } from '../../engine/transactions.js'
import type { StoredBlock } from '../../store/chain-store.js'
import type { RpcContext } from '../context.js'
import { RpcError, RpcErrorCode } from '../errors.js'
import { senderOf } from '../format.js'
import { type CallFrame, CallTracer, type CallTracerConfig } from './call-tracer.js'

export type TxTrace = { txHash: Hex; result: CallFrame }

/**
 * Re-executes a stored block on its parent's state (the node keeps every root) with the block's own context, and
 * traces the txs `traced` selects. Txs after the last traced one are not run. The replay's writes stay in a private
 * overlay, never in the live state.
 */
export async function traceBlock(
  ctx: RpcContext,
  block: StoredBlock,
  config: CallTracerConfig,
  traced: (index: number) => boolean = () => true,
): Promise<TxTrace[]> {
  const header = block.header
  if (header.number === 0n) return []
  const parent = await ctx.store.header(header.number - 1n)
  if (!parent) throw new RpcError(RpcErrorCode.server, `parent of block #${header.number} not found`)
  const vm = await ctx.engine.vmAt(parent.stateRoot)
  const builder = await BlockBuilder.start(
    vm,
    parent,
    {
      timestamp: header.timestamp,
      prevRandao: bytesToHex(header.mixHash) as Hex,
      suggestedFeeRecipient: header.coinbase.toString() as Hex,
      parentBeaconBlockRoot: bytesToHex(header.parentBeaconBlockRoot ?? new Uint8Array(32)) as Hex,
      gasLimit: header.gasLimit,
      transactions: [],
    },
    ctx.engine.config.eip1559,
  )
  let last = -1
  block.transactions.forEach((_, i) => {
    if (traced(i)) last = i
  })
  const traces: TxTrace[] = []
  for (const [index, tx] of block.transactions.slice(0, last + 1).entries()) {
    if (!traced(index)) {
      await builder.add(tx)
      continue
    }
    const tracer = new CallTracer(vm, config).attach()
    try {
      const receipt = await builder.add(tx)
      const failure = tx.kind === 'deposit' && receipt.status === 0 ? 'deposit failed before execution' : undefined
      traces.push({ txHash: bytesToHex(tx.hash) as Hex, result: tracer.result(topOf(tx, receipt.gasUsed), failure) })
    } finally {
      tracer.detach()
    }
  }
  return traces
}

function topOf(tx: EngineTx, gasUsed: bigint) {
  const from = senderOf(tx)
  if (tx.kind === 'deposit') {
    const d = tx.deposit
    return {
      from,
      gas: d.gas,
      gasUsed,
      value: d.value,
      input: d.data,
      ...(d.to ? { to: d.to.toLowerCase() as Hex } : {}),
    }
  }
  const t = tx.tx
  return {
    from,
    gas: t.gasLimit,
    gasUsed,
    value: t.value,
    input: bytesToHex(t.data) as Hex,
    ...(t.to ? { to: t.to.toString() as Hex } : {}),
  }
}
