import { bytesToHex } from 'viem'
import { describe, expect, test } from 'vitest'
import { l2BlockRefOf } from '../sequencer/l2-block-ref.js'
import type { SafeBlockDecision } from './engine-queue.js'
import { channelFrames, createScenario, T, txData } from './test-support.js'

describe('L1 reorgs', () => {
  test('the L1 block holding the batches is reorged out: reset to genesis, then the re-posted batches consolidate', async () => {
    const s = await createScenario()
    const blocks = await s.sequence(10, 1)
    s.post((await s.l1.blockByNumber(6n))!, [txData(...channelFrames(s.rollup, blocks))])
    const v = await s.verifier()
    await v.derivation.syncUntilIdle()
    expect(v.derivation.safeHead.number).toBe(10n)

    // L1 blocks 6..10 replaced by 7 others (head 12 > old head 10, so traversal sees the parent-hash mismatch)
    s.l1.reorg(
      5n,
      Array.from({ length: 7 }, (_, i) => ({ timestamp: T + 12n * BigInt(6 + i) })),
    )
    const resets: bigint[] = []
    const decisions: SafeBlockDecision['kind'][] = []
    v.derivation.events.reset = (r) => resets.push(r.safe.number)
    v.derivation.events.derived = (d) => decisions.push(d.kind)
    await v.derivation.syncUntilIdle()
    expect(resets).toEqual([0n])
    expect(v.derivation.safeHead.number).toBe(0n)

    // the batcher re-posts in a new L1 block; the verifier's unsafe blocks match and are promoted without re-execution
    s.post(s.l1.add({ timestamp: s.l1.head.timestamp + 12n }), [txData(...channelFrames(s.rollup, blocks))])
    await v.derivation.syncUntilIdle()
    expect(v.derivation.safeHead.hash).toBe(bytesToHex(blocks.at(-1)!.block.hash))
    expect(decisions).toEqual(Array(10).fill('consolidated'))
  })

  test('the L1 origin of L2 blocks is reorged out: the derived chain replaces them (unsafe reorg), epochs follow the new L1', async () => {
    const s = await createScenario({ rollup: { seqWindowSize: 3n } })
    const blocks = await s.sequence(10, 1)
    expect(blocks.at(-1)!.ref.l1Origin.number).toBe(1n)
    s.post((await s.l1.blockByNumber(2n))!, [txData(...channelFrames(s.rollup, blocks))])
    const v = await s.verifier()
    await v.derivation.syncUntilIdle()
    expect(v.derivation.safeHead.number).toBeGreaterThanOrEqual(10n)
    const before = bytesToHex((await v.chain.blockByNumber(6n))!.header.hash())

    // every L1 block after genesis replaced: epoch 1 and the batches are gone
    const replaced = s.l1.reorg(
      0n,
      Array.from({ length: 12 }, (_, i) => ({ timestamp: T + 13n * BigInt(i + 1) })),
    )
    const decisions: SafeBlockDecision[] = []
    v.derivation.events.derived = (d) => decisions.push(d)
    await v.derivation.syncUntilIdle()
    expect(decisions[0]).toMatchObject({ kind: 'reorged', reason: 'transaction count' })
    const block6 = (await v.chain.blockByNumber(6n))!
    expect(bytesToHex(block6.header.hash())).not.toBe(before)
    // with 13 s L1 blocks the new epoch 1 starts at T+13: block 7 (T+14) is its first L2 block
    expect(l2BlockRefOf(s.rollup, (await v.chain.blockByNumber(7n))!).l1Origin.hash).toBe(replaced[0]!.hash)
    for (let n = 1n; n <= v.derivation.safeHead.number; n++) {
      expect((await v.chain.blockByNumber(n))!.transactions.length).toBe(1)
    }
  })
})
