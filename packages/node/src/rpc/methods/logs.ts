import type { Hex } from 'viem'
import { z } from 'zod'
import { RpcError, RpcErrorCode } from '../errors.js'
import { getLogs } from '../logs.js'
import { type MethodTable, method, noParams } from '../method.js'
import { zData, zLogFilter } from '../params.js'

const zFilterId = zData as z.ZodType<Hex>

/** eth_getLogs and the polling filters. */
export const logMethods: MethodTable = {
  eth_getLogs: method(z.tuple([zLogFilter]), ([filter], { ctx }) => getLogs(ctx, filter)),
  eth_newFilter: method(z.tuple([zLogFilter]), ([filter], { ctx }) =>
    ctx.filters.install({ kind: 'logs', filter, changes: [], touched: Date.now() }),
  ),
  eth_newBlockFilter: method(noParams, (_params, { ctx }) =>
    ctx.filters.install({ kind: 'block', changes: [], touched: Date.now() }),
  ),
  eth_newPendingTransactionFilter: method(z.tuple([z.boolean().optional()]), (_params, { ctx }) =>
    ctx.filters.install({ kind: 'pending', changes: [], touched: Date.now() }),
  ),
  eth_getFilterChanges: method(z.tuple([zFilterId]), ([id], { ctx }) => {
    const changes = ctx.filters.takeChanges(id)
    if (!changes) throw new RpcError(RpcErrorCode.server, 'filter not found')
    return changes
  }),
  eth_getFilterLogs: method(z.tuple([zFilterId]), async ([id], { ctx }) => {
    const filter = ctx.filters.get(id)
    if (filter?.kind !== 'logs') throw new RpcError(RpcErrorCode.server, 'filter not found')
    return getLogs(ctx, filter.filter)
  }),
  eth_uninstallFilter: method(z.tuple([zFilterId]), ([id], { ctx }) => ctx.filters.uninstall(id)),
  eth_subscribe: method(
    z.union([
      z.tuple([z.enum(['newHeads', 'newPendingTransactions'])]),
      z.tuple([z.literal('newPendingTransactions'), z.boolean()]),
      z.tuple([z.literal('logs'), zLogFilter.optional()]),
    ]),
    (params, { ctx, connection }) => {
      if (!connection) throw new RpcError(RpcErrorCode.methodNotFound, 'notifications not supported')
      const [kind] = params
      if (kind === 'logs') {
        return ctx.subscriptions.subscribe({ kind, connection, filter: params[1] ?? {} })
      }
      return ctx.subscriptions.subscribe({ kind, connection })
    },
  ),
  eth_unsubscribe: method(z.tuple([zFilterId]), ([id], { ctx, connection }) => {
    if (!connection) throw new RpcError(RpcErrorCode.methodNotFound, 'notifications not supported')
    return ctx.subscriptions.unsubscribe(id, connection)
  }),
}
