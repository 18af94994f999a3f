import type { PoolTx } from '../../txpool/validate.js'
import { formatTransaction, quantity } from '../format.js'
import { type MethodTable, method, noParams } from '../method.js'

function bySender(groups: Map<string, PoolTx[]>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {}
  for (const [sender, txs] of groups) {
    out[sender] = Object.fromEntries(txs.map((tx) => [tx.nonce.toString(), formatTransaction(tx.tx)]))
  }
  return out
}

/** txpool_status / txpool_content in geth's shapes. */
export const txpoolMethods: MethodTable = {
  txpool_status: method(noParams, (_params, { ctx }) => {
    const { pending, queued } = ctx.pool.content()
    const count = (groups: Map<string, PoolTx[]>) => [...groups.values()].reduce((n, txs) => n + txs.length, 0)
    return { pending: quantity(count(pending)), queued: quantity(count(queued)) }
  }),
  txpool_content: method(noParams, (_params, { ctx }) => {
    const { pending, queued } = ctx.pool.content()
    return { pending: bySender(pending), queued: bySender(queued) }
  }),
}
