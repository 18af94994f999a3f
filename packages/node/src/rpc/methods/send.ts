import { hexToBytes } from '@ethereumjs/util'
import { z } from 'zod'
import { EngineError } from '../../engine/errors.js'
import { RpcError, RpcErrorCode } from '../errors.js'
import { type MethodTable, method } from '../method.js'
import { zData } from '../params.js'

/** eth_sendRawTransaction: pool admission with geth's -32000 messages; the hash is returned once the tx is pooled. */
export const sendMethods: MethodTable = {
  eth_sendRawTransaction: method(z.tuple([zData]), async ([raw], { ctx }) => {
    if (ctx.sendRawTransaction) return ctx.sendRawTransaction(raw)
    try {
      return await ctx.pool.add(hexToBytes(raw))
    } catch (error) {
      if (error instanceof EngineError) throw new RpcError(RpcErrorCode.server, error.message)
      throw error
    }
  }),
}
