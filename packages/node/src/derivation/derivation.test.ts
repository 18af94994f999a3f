import { bytesToHex } from 'viem'
import { describe, expect, test } from 'vitest'
import { depositReceipt } from '../sequencer/test-support.js'
import type { DroppedBatch } from './batch-queue.js'
import { channelFrames, createScenario, hashes, singularBatchOf, T, txData } from './test-support.js'

const OTHER = '0x00000000000000000000000000000000000000aa'

describe('derivation from calldata batches', () => {
  test('singular batches (zlib) re-derive the sequencer chain: same hashes, safe head at the last block', async () => {
    const s = await createScenario()
    const blocks = await s.sequence(12, 2)
    // inclusion in L1 block 8, after every origin the blocks use
    s.post((await s.l1.blockByNumber(8n))!, [txData(...channelFrames(s.rollup, blocks))])
    const v = await s.verifier()
    expect(await v.derivation.syncUntilIdle()).toBe('idle')
    expect(v.derivation.safeHead.number).toBe(12n)
    expect(
      hashes((await Promise.all(blocks.map((_, i) => v.chain.blockByNumber(BigInt(i + 1)))))!.map((b) => b!)),
    ).toEqual(blocks.map((b) => bytesToHex(b.block.hash)))
  })

  test('a span batch (brotli) in many frames, out of order, duplicated, across L1 blocks derives the same chain', async () => {
    const s = await createScenario()
    const blocks = await s.sequence(20, 3)
    const frames = channelFrames(s.rollup, blocks, { span: true, maxFrameSize: 200 })
    expect(frames.length).toBeGreaterThan(4)
    const reversed = [...frames].reverse()
    const b7 = (await s.l1.blockByNumber(7n))!
    const b8 = (await s.l1.blockByNumber(8n))!
    const half = Math.floor(reversed.length / 2)
    s.post(
      b7,
      reversed.slice(0, half).map((f) => txData(f)),
    )
    // duplicates of frames already seen are dropped by the channel bank
    s.post(b8, [txData(reversed[1]!), ...reversed.slice(half).map((f) => txData(f))])
    const channelEvents: string[] = []
    const v = await s.verifier()
    v.derivation.events.channel = (e) => channelEvents.push(e.kind === 'frame-rejected' ? e.reason : e.kind)
    expect(await v.derivation.syncUntilIdle()).toBe('idle')
    expect(channelEvents).toEqual(['duplicate frame'])
    expect(v.derivation.safeHead.hash).toBe(bytesToHex(blocks.at(-1)!.block.hash))
  })

  test('user deposits are derived from L1 receipts: the epoch block carries them, blocks match', async () => {
    const s = await createScenario({ l1Blocks: 0 })
    const user = '0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf'
    s.l1.add({
      timestamp: T + 12n,
      receipts: [depositReceipt({ from: user, to: OTHER, mint: 10n ** 18n, value: 1n, gas: 100_000n })],
    })
    s.l1.addMany(4, 12n)
    const blocks = await s.sequence(10, 0)
    expect(blocks.map((b) => b.block.transactions.length)).toContain(2)
    s.post((await s.l1.blockByNumber(3n))!, [txData(...channelFrames(s.rollup, blocks))])
    const v = await s.verifier()
    await v.derivation.syncUntilIdle()
    expect(v.derivation.safeHead.hash).toBe(bytesToHex(blocks.at(-1)!.block.hash))
  })

  test('invalid batches are dropped with their reason; a future batch is kept and applied later', async () => {
    const s = await createScenario()
    const blocks = await s.sequence(4, 1)
    const [b1, b2, b3, b4] = blocks as [(typeof blocks)[0], (typeof blocks)[0], (typeof blocks)[0], (typeof blocks)[0]]
    const wrongParent = { ...singularBatchOf(s.rollup, b1), parentHash: bytesToHex(b3.block.hash) }
    const l1b = (await s.l1.blockByNumber(6n))!
    s.post(l1b, [
      // block 2 before block 1: future, kept
      txData(...channelFrames(s.rollup, [b2])),
      txData(...channelFrames(s.rollup, [], { batches: [{ type: 'singular', batch: wrongParent }] })),
      txData(...channelFrames(s.rollup, [b1])),
    ])
    // a batch from someone else than the batcher is ignored before it is even parsed
    s.post(l1b, [txData(...channelFrames(s.rollup, [b3]))], OTHER)
    // a malformed frame (truncated) drops the whole tx
    s.post(l1b, [txData(...channelFrames(s.rollup, [b3])).slice(0, 30)])
    s.post((await s.l1.blockByNumber(7n))!, [txData(...channelFrames(s.rollup, [b3, b4]))])
    const dropped: DroppedBatch[] = []
    const droppedData: string[] = []
    const v = await s.verifier()
    v.derivation.events.droppedBatch = (d) => dropped.push(d)
    v.derivation.events.droppedData = (r) => droppedData.push(r)
    await v.derivation.syncUntilIdle()
    expect(dropped.map((d) => d.reason)).toEqual(['parent hash does not match the safe head'])
    expect(droppedData[0]).toBe('sender is not the batcher')
    expect(droppedData[1]).toMatch(/^invalid frames/)
    expect(v.derivation.safeHead.hash).toBe(bytesToHex(b4.block.hash))
  })

  test('sequencing window passed with no batches: deposits-only blocks, one per block time, epochs advance', async () => {
    const s = await createScenario({ rollup: { seqWindowSize: 4n }, l1Blocks: 12 })
    const v = await s.verifier()
    await v.derivation.syncUntilIdle()
    const safe = v.derivation.safeHead
    // epoch E is forced once L1 block E+4 has been read completely: L1 head 12 forces epoch 8, whose blocks run
    // from its time T+96 to just before epoch 9's time T+108 (blocks 48..53)
    expect(safe.l1Origin.number).toBe(8n)
    expect(safe.number).toBe(53n)
    for (let n = 1n; n <= safe.number; n++) {
      const block = (await v.chain.blockByNumber(n))!
      expect(block.transactions.length).toBe(1)
      expect(block.header.timestamp).toBe(T + 2n * n)
    }
  })

  test('the safe head and the finalized head: L2 is final once the L1 block it was derived from is final', async () => {
    const s = await createScenario()
    const blocks = await s.sequence(10, 1)
    s.post((await s.l1.blockByNumber(6n))!, [txData(...channelFrames(s.rollup, blocks.slice(0, 5)))])
    s.post((await s.l1.blockByNumber(8n))!, [txData(...channelFrames(s.rollup, blocks.slice(5)))])
    const v = await s.verifier()
    s.l1.setFinalized(7n)
    await v.derivation.syncUntilIdle()
    expect(v.derivation.safeHead.number).toBe(10n)
    expect(v.derivation.finalizedHead.number).toBe(5n)
    expect(v.chain.finalized?.number).toBe(5n)
    s.l1.setFinalized(8n)
    await v.derivation.syncUntilIdle()
    expect(v.derivation.finalizedHead.number).toBe(10n)
  })
})
