import { createBlockHeader } from '@ethereumjs/block'
import { bytesToHex, type Hex, hexToBytes, keccak256, toHex } from 'viem'
import { describe, expect, test } from 'vitest'
import type { EngineReceipt } from '../engine/receipts.js'
import type { DroppedBlock } from '../store/chain-store.js'
import type { Connection } from './context.js'
import { FilterRegistry } from './filters.js'
import { SubscriptionHub } from './subscriptions.js'

const TOKEN: Hex = '0x00000000000000000000000000000000000070c1'
const OTHER: Hex = '0x00000000000000000000000000000000000070c2'
const TRANSFER = keccak256(toHex('Transfer(address,address,uint256)'))

/** A block with one tx whose receipt carries one log per emitter, as a rewind hands it to the listeners. */
function droppedBlock(number: bigint, emitters: Hex[]): DroppedBlock {
  const header = createBlockHeader({ number, timestamp: 1_000n + number })
  const receipt = {
    type: 2,
    status: 1,
    cumulativeGasUsed: 50_000n,
    gasUsed: 50_000n,
    logs: emitters.map((address) => [hexToBytes(address), [hexToBytes(TRANSFER)], new Uint8Array(32)]),
    logsBloom: new Uint8Array(256),
    effectiveGasPrice: 1n,
  } as EngineReceipt
  const tx = { hash: hexToBytes(keccak256(toHex(`tx ${number}`))) }
  return {
    header,
    hash: bytesToHex(header.hash()),
    transactions: [tx as DroppedBlock['transactions'][number]],
    receipts: [receipt],
  }
}

function recordingConnection(): Connection & { sent: { params: { subscription: Hex; result: unknown } }[] } {
  const sent: { params: { subscription: Hex; result: unknown } }[] = []
  return { id: 1, sent, send: (message) => sent.push(message as (typeof sent)[number]), onClose: () => {} }
}

describe('logs of blocks a rewind dropped', () => {
  const dropped = [droppedBlock(5n, [TOKEN, OTHER]), droppedBlock(6n, [TOKEN])]

  test('eth_subscribe logs: the matching logs again with removed: true, oldest block first', () => {
    const hub = new SubscriptionHub()
    const connection = recordingConnection()
    const id = hub.subscribe({ kind: 'logs', connection, filter: { address: TOKEN } })
    hub.subscribe({ kind: 'newHeads', connection })
    hub.onRewind(dropped)
    const logs = connection.sent.map((m) => m.params.result as Record<string, unknown>)
    expect(connection.sent.every((m) => m.params.subscription === id)).toBe(true)
    expect(logs.map((l) => [l.blockNumber, l.address, l.logIndex, l.removed])).toEqual([
      ['0x5', TOKEN, '0x0', true],
      ['0x6', TOKEN, '0x0', true],
    ])
    expect(logs[0]!.blockHash).toBe(dropped[0]!.hash)
    expect(logs[0]!.transactionHash).toBe(bytesToHex(dropped[0]!.transactions[0]!.hash))
  })

  test('eth_newFilter: eth_getFilterChanges returns them with removed: true; block filters get nothing', () => {
    const filters = new FilterRegistry()
    const logsFilter = filters.install({
      kind: 'logs',
      filter: { topics: [TRANSFER] },
      changes: [],
      touched: Date.now(),
    })
    const blockFilter = filters.install({ kind: 'block', changes: [], touched: Date.now() })
    filters.onRewind(dropped)
    const changes = filters.takeChanges(logsFilter) as Record<string, unknown>[]
    expect(changes.map((l) => [l.blockNumber, l.address, l.logIndex, l.removed])).toEqual([
      ['0x5', TOKEN, '0x0', true],
      ['0x5', OTHER, '0x1', true],
      ['0x6', TOKEN, '0x0', true],
    ])
    expect(filters.takeChanges(blockFilter)).toEqual([])
  })
})
