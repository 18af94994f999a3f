import { ChannelAssembler, deriveSpanBatch, parseFrames, readChannel } from '@opl/protocol'
import { beforeAll, describe, expect, test } from 'vitest'
import { ReorgDetectedError } from '../errors.js'
import type { L2Block } from '../l2/types.js'
import { genesisBlock, makeBlocks, testRollupConfig } from '../testing/l2-chain.js'
import type { Channel, TxData } from './channel.js'
import { ChannelManager, type ChannelManagerOptions } from './channel-manager.js'

const rollup = testRollupConfig()

function options(overrides: Partial<ChannelManagerOptions> = {}): ChannelManagerOptions {
  return {
    batchType: 'span',
    compression: 'brotli',
    maxFrameSize: 400,
    rollup,
    targetNumFrames: 100,
    approxComprRatio: 0.6,
    maxChannelDuration: 0n,
    subSafetyMargin: 10n,
    channelTimeout: 50n,
    maxRlpBytes: 100_000_000,
    ...overrides,
  }
}

let chain: L2Block[]
beforeAll(async () => {
  chain = await makeBlocks(genesisBlock(), { count: 24, txsPerBlock: (i) => 1 + (i % 3) })
})

function managerWith(blocks: readonly L2Block[], overrides: Partial<ChannelManagerOptions> = {}): ChannelManager {
  const manager = new ChannelManager(options(overrides))
  for (const block of blocks) manager.addL2Block(block)
  return manager
}

/** Every frame the manager hands out at `l1Head`, without confirming any. */
function takeAll(manager: ChannelManager, l1Head: bigint, force = false): TxData[] {
  const out: TxData[] = []
  // Bounded: a channel has a finite number of frames and nothing is confirmed or failed in between.
  for (let tx = manager.txData(l1Head, force); tx && out.length < 10_000; tx = manager.txData(l1Head, force)) {
    out.push(tx)
  }
  return out
}

function closedEvents(manager: ChannelManager): { channel: Channel; reason: string }[] {
  return manager.events.filter((e) => e.type === 'closed')
}

/** What derivation reads from a channel's frames: the blocks' timestamps and txs. */
function decodeChannel(txs: readonly TxData[]) {
  const assembler = new ChannelAssembler(txs[0]!.channelId)
  for (const tx of txs) for (const frame of parseFrames(tx.data)) assembler.addFrame(frame)
  expect(assembler.isReady).toBe(true)
  const { batches, stop } = readChannel(assembler.data(), { fjord: true })
  expect(stop).toBeUndefined()
  return batches
}

describe('ChannelManager', () => {
  test('a channel closes as full once its estimated compressed size fills the target frames; the rest waits', () => {
    const manager = managerWith(chain, { targetNumFrames: 2, approxComprRatio: 1 })
    const first = takeAll(manager, 0n)
    const [closed] = closedEvents(manager)
    expect(closed?.reason).toBe('full')
    const channel = closed!.channel
    // Cut at the first block that pushed the estimate to 2 frames, not at the end of the queue.
    expect(channel.blocks.length).toBeLessThan(chain.length)
    expect(channel.blocks.map((b) => b.number)).toEqual(chain.slice(0, channel.blocks.length).map((b) => b.number))
    expect(first.filter((t) => t.channelId === channel.id).length).toBe(channel.built.frames.length)
    // Later channels follow without gap or overlap; a tail that does not fill a channel stays queued.
    const channeled = closedEvents(manager).flatMap((e) => e.channel.blocks.map((b) => b.number))
    expect(channeled).toEqual(chain.slice(0, channeled.length).map((b) => b.number))
    expect(channeled.length + manager.unchanneledBlocks).toBe(chain.length)
  })

  test('frames never exceed the max frame size and a calldata tx is version byte + one frame', () => {
    const manager = managerWith(chain, { maxFrameSize: 300 })
    const txs = takeAll(manager, 0n, true)
    expect(txs.length).toBeGreaterThan(3)
    for (const tx of txs) {
      expect(tx.data[0]).toBe(0)
      expect(tx.data.length - 1).toBeLessThanOrEqual(300)
      expect(parseFrames(tx.data)).toEqual([tx.frame])
    }
  })

  test('frames are handed out in order, a failed frame is served again before later ones', () => {
    const manager = managerWith(chain, { maxFrameSize: 300 })
    const a = manager.txData(0n, true)!
    const b = manager.txData(0n, true)!
    const c = manager.txData(0n, true)!
    expect([a.frame.number, b.frame.number, c.frame.number]).toEqual([0, 1, 2])
    manager.txFailed(b.id)
    manager.txFailed(a.id)
    expect(manager.txData(0n)!.frame.number).toBe(0)
    expect(manager.txData(0n)!.frame.number).toBe(1)
    expect(manager.txData(0n)!.frame.number).toBe(3)
  })

  test('max channel duration closes the open channel that many L1 blocks after it opened', () => {
    const manager = managerWith(chain.slice(0, 3), { maxChannelDuration: 2n })
    expect(manager.txData(100n)).toBeUndefined()
    expect(manager.txData(101n)).toBeUndefined()
    expect(manager.txData(102n)).toBeDefined()
    expect(closedEvents(manager).map((e) => e.reason)).toEqual(['duration'])
  })

  test('without a duration the channel still closes sub-safety-margin blocks before the channel timeout', () => {
    const manager = managerWith(chain.slice(0, 3), { channelTimeout: 50n, subSafetyMargin: 10n })
    expect(manager.txData(100n)).toBeUndefined()
    expect(manager.txData(139n)).toBeUndefined()
    expect(manager.txData(140n)).toBeDefined()
    expect(closedEvents(manager).map((e) => e.reason)).toEqual(['safety-margin'])
  })

  test('shutdown (force) closes the open channel with every queued block; nothing queued means nothing to send', () => {
    const manager = managerWith(chain.slice(0, 5))
    expect(manager.txData(0n)).toBeUndefined()
    const txs = takeAll(manager, 0n, true)
    const [closed] = closedEvents(manager)
    expect(closed?.reason).toBe('forced')
    expect(closed!.channel.blocks.length).toBe(5)
    expect(txs.length).toBe(closed!.channel.built.frames.length)
    expect(manager.unchanneledBlocks).toBe(0)
    expect(new ChannelManager(options()).txData(0n, true)).toBeUndefined()
  })

  test('a span channel carries one span batch accumulating all its blocks, which derives back to them', () => {
    const blocks = chain.slice(0, 12)
    const manager = managerWith(blocks)
    const batches = decodeChannel(takeAll(manager, 0n, true))
    expect(batches).toHaveLength(1)
    const batch = batches[0]!
    if (batch.type !== 'span') throw new Error('expected a span batch')
    const derived = deriveSpanBatch(batch.batch, {
      genesisTime: rollup.genesis.l2Time,
      blockTime: rollup.blockTime,
      chainId: BigInt(rollup.l2ChainId),
    })
    expect(derived.elements.map((e) => [e.timestamp, e.epochNumber, e.transactions])).toEqual(
      blocks.map((b) => [b.timestamp, b.l1Origin.number, b.transactions]),
    )
  })

  test('singular batch type puts one batch per block in the channel', () => {
    const blocks = chain.slice(0, 4)
    const batches = decodeChannel(takeAll(managerWith(blocks, { batchType: 'singular' }), 0n, true))
    expect(batches.map((b) => b.type)).toEqual(['singular', 'singular', 'singular', 'singular'])
  })

  test('frames landing a channel timeout apart invalidate the channel and every newer one; their blocks are queued again', () => {
    const manager = managerWith(chain, { maxFrameSize: 300, targetNumFrames: 3, approxComprRatio: 1 })
    const txs = takeAll(manager, 0n)
    const [first, second] = closedEvents(manager).map((e) => e.channel)
    expect(second).toBeDefined()
    const firstTxs = txs.filter((t) => t.channelId === first!.id)
    manager.txConfirmed(firstTxs[0]!.id, 10n)
    manager.txConfirmed(firstTxs[1]!.id, 60n)
    expect(manager.events.filter((e) => e.type === 'timed-out').map((e) => e.channel.id)).toEqual([first!.id])
    expect(manager.activeChannels).toHaveLength(0)
    expect(manager.unchanneledBlocks).toBe(chain.length)
    // Rebuilt from the same first block under a new channel id.
    const before = manager.events.length
    takeAll(manager, 60n)
    const rebuilt = manager.events.slice(before).find((e) => e.type === 'closed')!.channel
    expect(rebuilt.id).not.toBe(first!.id)
    expect(rebuilt.blocks[0]!.number).toBe(chain[0]!.number)
  })

  test('a channel with a frame on L1 whose remaining frames are not in within the timeout is re-queued', () => {
    const manager = managerWith(chain.slice(0, 8), { maxFrameSize: 300 })
    const txs = takeAll(manager, 0n, true)
    manager.txConfirmed(txs[0]!.id, 10n)
    expect(manager.txData(60n)).toBeUndefined()
    expect(manager.events.some((e) => e.type === 'timed-out')).toBe(false)
    // Past first inclusion + timeout: the channel is dropped and rebuilt; the new one hands out frame 0 again.
    const again = manager.txData(61n, true)!
    expect(manager.events.some((e) => e.type === 'timed-out')).toBe(true)
    expect(again.frame.number).toBe(0)
    expect(again.channelId).not.toBe(txs[0]!.channelId)
  })

  test('an unsafe block that does not extend the queue is a reorg; clearing re-queues from the safe head', () => {
    const manager = managerWith(chain.slice(0, 10))
    takeAll(manager, 0n, true)
    const reorged: L2Block = { ...chain[10]!, parentHash: chain[5]!.hash, number: chain[6]!.number }
    expect(() => manager.addL2Block(reorged)).toThrow(ReorgDetectedError)
    // The batcher clears and reloads from the safe head; the pending (unconfirmed) channel's blocks come back.
    manager.clear()
    expect(manager.tip).toBeUndefined()
    expect(manager.activeChannels).toHaveLength(0)
    for (const block of chain.slice(0, 6)) manager.addL2Block(block)
    expect(manager.unchanneledBlocks).toBe(6)
  })

  test('pruneSafe drops confirmed channels the safe head passed, clears on a safe head off our chain', () => {
    const manager = managerWith(chain.slice(0, 6))
    const txs = takeAll(manager, 0n, true)
    for (const tx of txs) manager.txConfirmed(tx.id, 5n)
    for (const block of chain.slice(6, 9)) manager.addL2Block(block)
    manager.pruneSafe({ number: chain[5]!.number, hash: chain[5]!.hash })
    expect(manager.activeChannels).toHaveLength(0)
    expect(manager.unchanneledBlocks).toBe(3)
    expect(manager.tip?.number).toBe(chain[8]!.number)
    manager.pruneSafe({ number: chain[7]!.number, hash: chain[0]!.hash })
    expect(manager.tip).toBeUndefined()
  })
})
