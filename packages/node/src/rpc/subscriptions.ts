import { randomBytes } from 'node:crypto'
import type { Hex } from 'viem'
import type { EngineReceipt } from '../engine/receipts.js'
import type { DroppedBlock, StoredBlock } from '../store/chain-store.js'
import type { Connection } from './context.js'
import { formatHeader } from './format.js'
import { blockLogs, criteriaOf } from './logs.js'
import type { LogFilter } from './params.js'

type Subscription =
  | { kind: 'newHeads'; connection: Connection }
  | { kind: 'newPendingTransactions'; connection: Connection }
  | { kind: 'logs'; connection: Connection; filter: LogFilter }

/** eth_subscribe over WebSocket: pushes `eth_subscription` notifications; a closed connection drops its subscriptions. */
export class SubscriptionHub {
  private readonly subscriptions = new Map<Hex, Subscription>()

  subscribe(subscription: Subscription): Hex {
    const id = `0x${randomBytes(16).toString('hex')}` as Hex
    this.subscriptions.set(id, subscription)
    subscription.connection.onClose(() => this.subscriptions.delete(id))
    return id
  }

  unsubscribe(id: Hex, connection: Connection): boolean {
    const subscription = this.subscriptions.get(id)
    if (!subscription || subscription.connection.id !== connection.id) return false
    return this.subscriptions.delete(id)
  }

  onBlock(block: StoredBlock, receipts: EngineReceipt[]): void {
    for (const [id, sub] of this.subscriptions) {
      if (sub.kind === 'newHeads') notify(sub.connection, id, { ...formatHeader(block.header), hash: block.hash })
      else if (sub.kind === 'logs') {
        for (const log of blockLogs(block, receipts, criteriaOf(sub.filter))) notify(sub.connection, id, log)
      }
    }
  }

  /** `logs` subscribers get the dropped blocks' matching logs with `removed: true`, oldest block first (geth on a reorg). */
  onRewind(dropped: readonly DroppedBlock[]): void {
    for (const [id, sub] of this.subscriptions) {
      if (sub.kind !== 'logs') continue
      const criteria = criteriaOf(sub.filter)
      for (const block of dropped)
        for (const log of blockLogs(block, block.receipts, criteria, true)) notify(sub.connection, id, log)
    }
  }

  onPendingTx(hash: Hex): void {
    for (const [id, sub] of this.subscriptions) {
      if (sub.kind === 'newPendingTransactions') notify(sub.connection, id, hash)
    }
  }
}

function notify(connection: Connection, subscription: Hex, result: unknown): void {
  connection.send({ jsonrpc: '2.0', method: 'eth_subscription', params: { subscription, result } })
}
