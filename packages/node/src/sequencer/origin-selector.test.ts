import type { Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { ConfDepthL1Source } from '../l1/conf-depth.js'
import { L1ReorgError, L1UnavailableError, TemporaryError } from '../l1/errors.js'
import { MemoryL1Source } from '../l1/memory-l1-source.js'
import type { L1BlockInfo } from '../l1/types.js'
import type { L2BlockRef } from './l2-block-ref.js'
import { NextOriginUnavailableError, OriginSelector } from './origin-selector.js'

const T0 = 1_000_000n
const allForks = { regolith: 0n, canyon: 0n, delta: 0n, ecotone: 0n, fjord: 0n, granite: 0n }
const config = { blockTime: 2n, maxSequencerDrift: 600n, forkTimes: allForks }

/** L1: genesis at T0 then `count` blocks 12 s apart. */
function chain(count = 3): MemoryL1Source {
  const l1 = new MemoryL1Source({ timestamp: T0 })
  l1.addMany(count, 12n)
  return l1
}

function headOn(origin: L1BlockInfo, timestamp: bigint, sequenceNumber = 0n): L2BlockRef {
  return {
    hash: `0x${'ab'.repeat(32)}` as Hex,
    number: 10n,
    parentHash: `0x${'cd'.repeat(32)}` as Hex,
    timestamp,
    l1Origin: { hash: origin.hash, number: origin.number },
    sequenceNumber,
  }
}

async function blockAt(l1: MemoryL1Source, n: bigint): Promise<L1BlockInfo> {
  const block = await l1.blockByNumber(n)
  if (!block) throw new Error(`no L1 block ${n}`)
  return block
}

describe('origin selection', () => {
  test('stays on the origin while the next L2 time is before origin+1', async () => {
    const l1 = chain()
    const origin = await blockAt(l1, 0n)
    // next L2 time = T0 + 10 < T0 + 12
    const selected = await new OriginSelector(config, l1).findL1Origin(headOn(origin, T0 + 8n))
    expect(selected.hash).toBe(origin.hash)
  })

  test('moves to origin+1 as soon as the next L2 time reaches its timestamp', async () => {
    const l1 = chain()
    const origin = await blockAt(l1, 0n)
    // next L2 time = T0 + 12 == origin+1's timestamp
    const selected = await new OriginSelector(config, l1).findL1Origin(headOn(origin, T0 + 10n))
    expect(selected.hash).toBe((await blockAt(l1, 1n)).hash)
  })

  test('advances by one L1 block at a time even when several are due', async () => {
    const l1 = chain(5)
    const origin = await blockAt(l1, 0n)
    const selected = await new OriginSelector(config, l1).findL1Origin(headOn(origin, T0 + 50n))
    expect(selected.number).toBe(1n)
  })

  test('stays when origin+1 is not mined yet and the drift allows it', async () => {
    const l1 = new MemoryL1Source({ timestamp: T0 })
    const origin = l1.head
    const selected = await new OriginSelector(config, l1).findL1Origin(headOn(origin, T0 + 100n))
    expect(selected.hash).toBe(origin.hash)
  })

  test('confirmation depth hides origin+1 until it is buried deep enough', async () => {
    const l1 = chain(2) // blocks 0..2, head 2
    const origin = await blockAt(l1, 0n)
    const head = headOn(origin, T0 + 20n) // origin+1 (T0 + 12) is due
    const deep = new ConfDepthL1Source(l1, 2n, () => l1.head) // needs 1 + 2 <= head
    expect((await new OriginSelector(config, deep).findL1Origin(head)).number).toBe(0n)
    l1.add({ timestamp: l1.head.timestamp + 12n }) // head 3
    expect((await new OriginSelector(config, deep).findL1Origin(head)).number).toBe(1n)
  })

  test('past the drift with origin+1 later than the next L2 time: stays (a deposit-only block)', async () => {
    const l1 = new MemoryL1Source({ timestamp: T0 })
    const origin = l1.head
    l1.add({ timestamp: T0 + 5000n })
    // next L2 time = T0 + 1802: 1802 s past the origin > 1800 (Fjord), but origin+1 is at T0 + 5000
    const selected = await new OriginSelector(config, l1).findL1Origin(headOn(origin, T0 + 1800n))
    expect(selected.hash).toBe(origin.hash)
  })

  test('past the drift without origin+1 on L1: no origin, a temporary error', async () => {
    const l1 = new MemoryL1Source({ timestamp: T0 })
    const selector = new OriginSelector(config, l1)
    await expect(selector.findL1Origin(headOn(l1.head, T0 + 1800n))).rejects.toThrow(NextOriginUnavailableError)
    await expect(selector.findL1Origin(headOn(l1.head, T0 + 1800n))).rejects.toBeInstanceOf(TemporaryError)
  })

  test('the drift is exactly 1800 s from Fjord (the rollup.json value applies before it)', async () => {
    const l1 = new MemoryL1Source({ timestamp: T0 })
    const head = headOn(l1.head, T0 + 1798n) // next L2 time = T0 + 1800: at the drift, not past it
    expect((await new OriginSelector(config, l1).findL1Origin(head)).hash).toBe(l1.head.hash)
    const preFjord = { ...config, forkTimes: { regolith: 0n, canyon: 0n, delta: 0n, ecotone: 0n } }
    const past600 = headOn(l1.head, T0 + 600n) // next L2 time T0 + 602 > 600
    await expect(new OriginSelector(preFjord, l1).findL1Origin(past600)).rejects.toThrow(NextOriginUnavailableError)
    expect((await new OriginSelector(config, l1).findL1Origin(past600)).hash).toBe(l1.head.hash)
  })

  test('an origin reorged out of L1 is a reset, not a silent stay', async () => {
    const l1 = chain(1)
    const origin = await blockAt(l1, 1n)
    l1.reorg(0n, [{ timestamp: T0 + 13n }, { timestamp: T0 + 25n }])
    const head = headOn(origin, T0 + 12n)
    await expect(new OriginSelector(config, l1).findL1Origin(head)).rejects.toThrow(L1ReorgError)
  })

  test('an L2 head whose origin L1 does not know is a reset', async () => {
    const l1 = chain(1)
    const head = headOn({ ...(await blockAt(l1, 1n)), hash: `0x${'ee'.repeat(32)}` }, T0 + 12n)
    await expect(new OriginSelector(config, l1).findL1Origin(head)).rejects.toThrow(L1ReorgError)
  })

  test('L1 unreachable: a temporary error without a cached origin, a stay with one', async () => {
    const l1 = new MemoryL1Source({ timestamp: T0 })
    const origin = l1.head
    const selector = new OriginSelector(config, l1)
    l1.failNext(1) // the lookup of the head's origin by hash fails
    await expect(selector.findL1Origin(headOn(origin, T0))).rejects.toThrow(L1UnavailableError)
    expect((await selector.findL1Origin(headOn(origin, T0))).hash).toBe(origin.hash) // origin now cached
    const next = l1.add({ timestamp: T0 + 12n })
    const due = headOn(origin, T0 + 10n) // origin+1 is due
    l1.failNext(1) // its lookup fails: best effort, as op-node's prefetch — stay on the cached origin
    expect((await selector.findL1Origin(due)).hash).toBe(origin.hash)
    expect((await selector.findL1Origin(due)).hash).toBe(next.hash) // L1 back: move on
  })
})
