import { randomBytes } from 'node:crypto'
import type { Hex } from 'viem'
import type { EngineReceipt } from '../engine/receipts.js'
import type { DroppedBlock, StoredBlock } from '../store/chain-store.js'
import { blockLogs, criteriaOf } from './logs.js'
import type { LogFilter } from './params.js'

type Filter =
  | { kind: 'block'; changes: Hex[]; touched: number }
  | { kind: 'pending'; changes: Hex[]; touched: number }
  | { kind: 'logs'; filter: LogFilter; changes: Record<string, unknown>[]; touched: number }

/** Max buffered changes per filter: a client that stops polling can't grow our memory without bound. */
const MAX_CHANGES = 10_000

/**
 * Polling filters (eth_newFilter & co). Changes are pushed as blocks and pool txs arrive, and a filter that has not
 * been polled for `ttlMs` is removed (geth: 5 minutes).
 */
export class FilterRegistry {
  private readonly filters = new Map<Hex, Filter>()

  constructor(private readonly ttlMs = 5 * 60_000) {}

  install(filter: Filter): Hex {
    const id = `0x${randomBytes(16).toString('hex')}` as Hex
    this.filters.set(id, filter)
    return id
  }

  get(id: Hex): Filter | undefined {
    return this.filters.get(id.toLowerCase() as Hex)
  }

  uninstall(id: Hex): boolean {
    return this.filters.delete(id.toLowerCase() as Hex)
  }

  /** Returns and clears the changes since the last poll. */
  takeChanges(id: Hex): unknown[] | undefined {
    const filter = this.get(id)
    if (!filter) return undefined
    filter.touched = Date.now()
    const changes = filter.changes
    filter.changes = []
    return changes
  }

  onBlock(block: StoredBlock, receipts: EngineReceipt[]): void {
    this.expire()
    for (const filter of this.filters.values()) {
      if (filter.kind === 'block') push(filter.changes, block.hash)
      else if (filter.kind === 'logs') {
        const criteria = criteriaOf(filter.filter)
        for (const log of blockLogs(block, receipts, criteria)) push(filter.changes, log)
      }
    }
  }

  /** Log filters get the dropped blocks' matching logs again with `removed: true` (geth on a reorg), oldest block first. */
  onRewind(dropped: readonly DroppedBlock[]): void {
    for (const filter of this.filters.values()) {
      if (filter.kind !== 'logs') continue
      const criteria = criteriaOf(filter.filter)
      for (const block of dropped)
        for (const log of blockLogs(block, block.receipts, criteria, true)) push(filter.changes, log)
    }
  }

  onPendingTx(hash: Hex): void {
    for (const filter of this.filters.values()) if (filter.kind === 'pending') push(filter.changes, hash)
  }

  private expire(): void {
    const now = Date.now()
    for (const [id, filter] of this.filters) if (now - filter.touched > this.ttlMs) this.filters.delete(id)
  }
}

function push<T>(list: T[], item: T): void {
  if (list.length >= MAX_CHANGES) list.shift()
  list.push(item)
}
