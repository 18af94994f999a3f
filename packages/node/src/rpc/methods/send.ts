import type { Hex } from 'viem'
import { z } from 'zod'
import { EngineError } from '../../engine/errors.js'
import type { RpcContext } from '../context.js'
import { RpcError, RpcErrorCode } from '../errors.js'
import { type MethodTable, method } from '../method.js'
import { zData } from '../params.js'

/** eth_sendRawTransaction: pool admission with geth's -32000 messages; the hash is returned once the tx is pooled. */
export const sendMethods: MethodTable = {
  eth_sendRawTransaction: method(z.tuple([zData]), async ([raw], { ctx }) => {
    if (ctx.sendRawTransaction) return ctx.sendRawTransaction(raw)
    try {
      return await ctx.pool.add(raw)
    } catch (error) {
      if (error instanceof EngineError) throw new RpcError(RpcErrorCode.server, error.message)
      throw error
    }
  }),
}

/**
 * Before a batch is handled (one call at a time, in order): hands its raw txs to the pool, which starts recovering
 * their senders on its recovery workers. Returns the clean-up for the batch's end.
 */
export function prefetchBatchSenders(ctx: RpcContext, calls: readonly unknown[]): () => void {
  if (ctx.sendRawTransaction) return () => {}
  const raws: Hex[] = []
  for (const call of calls) {
    if (typeof call !== 'object' || call === null) continue
    const { method, params } = call as { method?: unknown; params?: unknown }
    if (method !== 'eth_sendRawTransaction' || !Array.isArray(params)) continue
    const raw = zData.safeParse(params[0])
    if (raw.success) raws.push(raw.data)
  }
  return ctx.pool.prefetchSenders(raws)
}
