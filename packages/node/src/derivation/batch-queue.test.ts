import { bytesToHex } from 'viem'
import { describe, expect, test } from 'vitest'
import type { DroppedBatch } from './batch-queue.js'
import { channelFrames, createScenario, singularBatchOf, spanOf, txData } from './test-support.js'

describe('batch queue: span batches', () => {
  test('a span batch overlapping the safe chain is accepted when the overlap matches', async () => {
    const s = await createScenario()
    const blocks = await s.sequence(10, 1)
    s.post((await s.l1.blockByNumber(6n))!, [txData(...channelFrames(s.rollup, blocks.slice(0, 6), { span: true }))])
    s.post((await s.l1.blockByNumber(7n))!, [txData(...channelFrames(s.rollup, blocks.slice(3), { span: true }))])
    const v = await s.verifier()
    await v.derivation.syncUntilIdle()
    expect(v.derivation.safeHead.hash).toBe(bytesToHex(blocks[9]!.block.hash))
  })

  test('span batch checks: a bad parent check and an overlap that differs from the safe chain are dropped', async () => {
    const s = await createScenario()
    const blocks = await s.sequence(8, 1)
    const singular = blocks.map((b) => singularBatchOf(s.rollup, b))
    const badParent = spanOf(s.rollup, singular.slice(0, 2), true)
    if (badParent.type !== 'span') throw new Error('span expected')
    badParent.batch.parentCheck = `0x${'11'.repeat(20)}`
    // blocks 4..8, but block 4 without its tx: overlaps the safe chain (1..6) with a different tx list
    const altered = [{ ...singular[3]!, transactions: [] }, ...singular.slice(4)]
    const l1b = (await s.l1.blockByNumber(6n))!
    s.post(l1b, [txData(...channelFrames(s.rollup, [], { batches: [badParent] }))])
    s.post(l1b, [txData(...channelFrames(s.rollup, blocks.slice(0, 6), { span: true }))])
    s.post((await s.l1.blockByNumber(7n))!, [
      txData(...channelFrames(s.rollup, [], { batches: [spanOf(s.rollup, altered, false)] })),
      txData(...channelFrames(s.rollup, blocks.slice(6), { span: true })),
    ])
    const dropped: DroppedBatch[] = []
    const v = await s.verifier()
    v.derivation.events.droppedBatch = (d) => dropped.push(d)
    await v.derivation.syncUntilIdle()
    expect(dropped.map((d) => d.reason)).toEqual([
      'parent check does not match',
      'overlapped block tx count does not match',
    ])
    expect(v.derivation.safeHead.hash).toBe(bytesToHex(blocks[7]!.block.hash))
  })

  test('a batch with an epoch hash from another L1 chain is dropped, an empty block fills in after the window', async () => {
    const s = await createScenario({ rollup: { seqWindowSize: 3n } })
    const blocks = await s.sequence(2, 1)
    const forged = {
      parentHash: blocks[0]!.ref.parentHash,
      epochNumber: 0n,
      epochHash: `0x${'ab'.repeat(32)}` as const,
      timestamp: blocks[0]!.ref.timestamp,
      transactions: [],
    }
    s.post((await s.l1.blockByNumber(1n))!, [
      txData(...channelFrames(s.rollup, [], { batches: [{ type: 'singular', batch: forged }] })),
    ])
    const dropped: DroppedBatch[] = []
    const v = await s.verifier()
    v.derivation.events.droppedBatch = (d) => dropped.push(d)
    await v.derivation.syncUntilIdle()
    expect(dropped.map((d) => d.reason)).toEqual(['epoch hash does not match the L1 chain'])
    const first = (await v.chain.blockByNumber(1n))!
    expect(first.transactions.length).toBe(1)
  })
})
