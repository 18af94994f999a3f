import { bytesToHex } from 'viem'
import { describe, expect, test } from 'vitest'
import type { Derivation } from './derivation.js'
import type { EngineChain } from './engine-chain.js'
import type { SafeBlockDecision } from './engine-queue.js'
import { channelFrames, createScenario, hashes, type Scenario, T, txData } from './test-support.js'
import type { DerivationChain } from './types.js'

/** Blocks 1..5 batched in L1 block 6, 6..10 in L1 block 8; a verifier derives them all. */
async function derivedTen() {
  const s = await createScenario()
  const blocks = await s.sequence(14, 1)
  s.post((await s.l1.blockByNumber(6n))!, [txData(...channelFrames(s.rollup, blocks.slice(0, 5)))])
  s.post((await s.l1.blockByNumber(8n))!, [txData(...channelFrames(s.rollup, blocks.slice(5, 10)))])
  const v = await s.verifier()
  expect(await v.derivation.syncUntilIdle()).toBe('idle')
  expect(v.derivation.safeHead.hash).toBe(bytesToHex(blocks[9]!.block.hash))
  return { s, blocks, v }
}

/** A new `Derivation` over the same chain, from its persisted heads: what a node restart does. */
async function restart(s: Scenario, chain: DerivationChain & Pick<EngineChain, 'safe' | 'finalized'>) {
  const { derivation } = await s.verifier({ chain, safe: chain.safe, finalized: chain.finalized })
  const resets: bigint[] = []
  const decisions: SafeBlockDecision[] = []
  derivation.events.reset = (r) => resets.push(r.safe.number)
  derivation.events.derived = (d) => decisions.push(d)
  return { derivation, resets, decisions }
}

const settle = async (d: Derivation) => expect(await d.syncUntilIdle()).toBe('idle')

describe('persisted safe origin (safe block → L1 block)', () => {
  test('the record is saved as the safe head moves; a restart resets to it instead of walking back a sequencing window', async () => {
    const { s, blocks, v } = await derivedTen()
    expect(v.chain.safeOrigin?.safe.hash).toBe(v.derivation.safeHead.hash)
    expect(v.chain.safeOrigin?.derivedFrom.hash).toBe((await s.l1.blockByNumber(8n))!.hash)

    // without the record (a chain that does not implement the hook) the restart walks back to genesis
    const forgetful: DerivationChain & Pick<EngineChain, 'safe' | 'finalized'> = Object.create(v.chain)
    Object.assign(forgetful, { loadSafeOrigin: undefined })
    const cold = await restart(s, forgetful)
    await cold.derivation.runOnce()
    expect(cold.resets).toEqual([0n])

    // with it: the reset keeps the safe head, and nothing at or below it is derived again
    const warm = await restart(s, v.chain)
    s.post(s.l1.add({ timestamp: s.l1.head.timestamp + 12n }), [txData(...channelFrames(s.rollup, blocks.slice(10)))])
    await settle(warm.derivation)
    expect(warm.resets).toEqual([10n])
    expect(warm.decisions.map((d) => d.kind)).toEqual(['built', 'built', 'built', 'built'])
    expect(warm.derivation.safeHead.hash).toBe(bytesToHex(blocks[13]!.block.hash))
    const derived = await Promise.all(blocks.map((_, i) => v.chain.blockByNumber(BigInt(i + 1))))
    expect(hashes(derived.map((b) => b!))).toEqual(blocks.map((b) => bytesToHex(b.block.hash)))
  })

  test('the recorded L1 block was reorged out while the node was down: the restart does not trust it, safe falls back to what L1 still holds', async () => {
    const { s, blocks, v } = await derivedTen()
    s.l1.reorg(
      7n,
      Array.from({ length: 4 }, (_, i) => ({ timestamp: T + 12n * BigInt(8 + i) })),
    )
    const warm = await restart(s, v.chain)
    await settle(warm.derivation)
    // L1 block 6 (blocks 1..5) is still canonical; the batch of blocks 6..10 is gone
    expect(warm.derivation.safeHead.hash).toBe(bytesToHex(blocks[4]!.block.hash))
    expect(v.chain.safeOrigin?.safe.number).toBe(5n)
    expect(v.chain.safeOrigin?.derivedFrom.number).toBe(6n)
  })

  test('a record whose block is not on the chain (e.g. rewound while down) is ignored: the restart walks back as without one', async () => {
    const { s, v } = await derivedTen()
    const record = v.chain.safeOrigin!
    v.chain.safeOrigin = { ...record, safe: { ...record.safe, hash: `0x${'11'.repeat(32)}` } }
    const offChain = await restart(s, v.chain)
    await offChain.derivation.runOnce()
    expect(offChain.resets).toEqual([0n])
  })
})
