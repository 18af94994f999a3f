import { bytesToHex } from 'viem'
import { describe, expect, test } from 'vitest'
import type { ChannelBankEvent } from './channel-bank.js'
import { channelFrames, createScenario, txData } from './test-support.js'

describe('channel bank (Granite rules)', () => {
  test('channel timeout is 50 L1 blocks: the closing frame 50 blocks after the first is in time, 51 is not', async () => {
    for (const [gap, derived] of [
      [50n, true],
      [51n, false],
    ] as const) {
      const s = await createScenario({ l1Blocks: 60 })
      const blocks = await s.sequence(3, 1)
      const [first, ...rest] = channelFrames(s.rollup, blocks, { maxFrameSize: 120 })
      expect(rest.length).toBeGreaterThan(0)
      s.post((await s.l1.blockByNumber(2n))!, [txData(first!)])
      s.post(
        (await s.l1.blockByNumber(2n + gap))!,
        rest.map((f) => txData(f)),
      )
      const events: ChannelBankEvent['kind'][] = []
      const v = await s.verifier()
      v.derivation.events.channel = (e) => events.push(e.kind)
      await v.derivation.syncUntilIdle()
      expect(v.derivation.safeHead.number).toBe(derived ? 3n : 0n)
      if (!derived) expect(events).toContain('timeout')
    }
  })

  test('pruning drops the oldest channel when the bank is over its size; the newer complete channel is read', async () => {
    const s = await createScenario()
    const blocks = await s.sequence(3, 2)
    const old = channelFrames(s.rollup, blocks, { maxFrameSize: 150 })
    const fresh = channelFrames(s.rollup, blocks)
    expect(fresh.length).toBe(1)
    s.post((await s.l1.blockByNumber(6n))!, [txData(old[0]!), txData(fresh[0]!)])
    s.post(
      (await s.l1.blockByNumber(7n))!,
      old.slice(1).map((f) => txData(f)),
    )
    const events: ChannelBankEvent[] = []
    // room for `fresh` alone, not for `fresh` and the first frame of `old`
    const v = await s.verifier({ maxChannelBankSize: fresh[0]!.data.length + 200 + 50 })
    v.derivation.events.channel = (e) => events.push(e)
    await v.derivation.syncUntilIdle()
    expect(events[0]).toEqual({ kind: 'pruned', id: old[0]!.channelId })
    expect(v.derivation.safeHead.hash).toBe(bytesToHex(blocks[2]!.block.hash))
  })
})
