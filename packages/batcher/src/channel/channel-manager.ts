import type { Hex } from 'viem'
import { ReorgDetectedError } from '../errors.js'
import type { L2Block } from '../l2/types.js'
import { estimatedBatchBytes } from './block-to-batch.js'
import { Channel, type ChannelOptions, type TxData } from './channel.js'

export type ChannelManagerOptions = ChannelOptions & {
  /** op-batcher `target-num-frames`: a channel is closed once its estimated compressed size fills this many frames. */
  targetNumFrames: number
  /** Estimated compressed/raw ratio used to cut channels before compressing (op-batcher ratio compressor). */
  approxComprRatio: number
  /** Close a channel this many L1 blocks after it opened; 0 = no limit (op-batcher `max-channel-duration`). */
  maxChannelDuration: bigint
  /** Close early enough to be fully included within the channel timeout (op-batcher `sub-safety-margin`). */
  subSafetyMargin: bigint
  /** Derivation's channel timeout in L1 blocks (50 from Granite). */
  channelTimeout: bigint
  /** RLP-stream limit of one channel (MAX_RLP_BYTES_PER_CHANNEL). */
  maxRlpBytes: number
}

export type ChannelEvent =
  | { type: 'closed'; channel: Channel; reason: string }
  | { type: 'confirmed'; channel: Channel }
  | { type: 'timed-out'; channel: Channel; blocks: number }

/**
 * op-batcher's `channelManager`: queues L2 blocks in order, cuts them into channels, hands out frames to submit and
 * takes back their outcome. A channel whose frames land too far apart (channel timeout) is thrown away with every
 * newer channel, and its blocks are queued again, so no block is ever skipped.
 *
 * `blocks` holds every block not yet known safe; `cursor` is the index of the first block not yet in a channel.
 */
export class ChannelManager {
  private blocks: L2Block[] = []
  private cursor = 0
  private channels: Channel[] = []
  /** Blocks of the channel being filled: blocks[cursor - open.length .. cursor). */
  private openSince: bigint | undefined
  private openCount = 0
  private openBytes = 0
  readonly events: ChannelEvent[] = []

  constructor(private readonly options: ChannelManagerOptions) {}

  /** Last block queued, to continue loading from. */
  get tip(): L2Block | undefined {
    return this.blocks.at(-1)
  }

  /** Blocks queued but not yet in a closed channel. */
  get unchanneledBlocks(): number {
    return this.blocks.length - this.cursor + this.openCount
  }

  /** Appends the next block; throws ReorgDetectedError when it does not extend the last one. */
  addL2Block(block: L2Block): void {
    const tip = this.tip
    if (tip && (block.parentHash !== tip.hash || block.number !== tip.number + 1n)) {
      throw new ReorgDetectedError('L2 block does not extend the queued chain', {
        number: block.number,
        parentHash: block.parentHash,
        tip: tip.hash,
      })
    }
    this.blocks.push(block)
  }

  /** Forgets everything (reorg, or the safe head moved past what we hold): loading restarts from the safe head. */
  clear(): void {
    this.blocks = []
    this.cursor = 0
    this.channels = []
    this.resetOpen()
  }

  /**
   * op-batcher `pruneSafeBlocks`: drops the leading fully confirmed channels whose blocks are now safe. A safe head
   * past everything we hold (derivation got ahead of us, e.g. our previous run posted it) or not on our chain (reorg)
   * clears the state, so loading restarts from the safe head.
   */
  pruneSafe(safe: { number: bigint; hash: Hex }): void {
    const first = this.blocks[0]
    if (!first || safe.number < first.number) return
    const held = this.blocks[Number(safe.number - first.number)]
    if (!held || held.hash !== safe.hash) {
      this.clear()
      return
    }
    for (let head = this.channels[0]; head?.isFullyConfirmed; head = this.channels[0]) {
      if (head.blocks.at(-1)!.number > safe.number) break
      this.channels.shift()
      this.blocks.splice(0, head.blocks.length)
      this.cursor -= head.blocks.length
    }
  }

  /**
   * The next frame to submit at L1 head `l1Head`, or undefined when nothing is ready. Fills the open channel from the
   * queue and closes it when it is full, too old, or `force` is set (shutdown / flush), then serves its frames.
   */
  txData(l1Head: bigint, force = false): TxData | undefined {
    this.checkTimeouts(l1Head)
    for (const channel of this.channels) {
      const tx = channel.nextTxData()
      if (tx) return tx
    }
    this.fill(l1Head)
    const reason = this.closeReason(l1Head, force)
    if (reason === undefined) return undefined
    const channel = this.closeOpen(reason)
    return channel?.nextTxData()
  }

  txFailed(id: string): void {
    const { channel, frame } = this.find(id)
    channel?.txFailed(frame)
  }

  txConfirmed(id: string, inclusionBlock: bigint): void {
    const { channel, frame } = this.find(id)
    if (!channel) return
    channel.txConfirmed(frame, inclusionBlock)
    if (channel.isTimedOut(this.options.channelTimeout)) {
      this.invalidate(channel)
      return
    }
    if (channel.isFullyConfirmed) this.events.push({ type: 'confirmed', channel })
  }

  /** Channels built and not yet pruned (for metrics and tests). */
  get activeChannels(): readonly Channel[] {
    return this.channels
  }

  private fill(l1Head: bigint): void {
    while (this.cursor < this.blocks.length) {
      const block = this.blocks[this.cursor]!
      const bytes = estimatedBatchBytes(block)
      if (this.openCount > 0 && this.openBytes + bytes > this.options.maxRlpBytes) return
      if (this.openCount > 0 && this.estimatedFull()) return
      if (this.openCount === 0) this.openSince = l1Head
      this.openCount++
      this.openBytes += bytes
      this.cursor++
    }
  }

  private estimatedFull(): boolean {
    const target = this.options.targetNumFrames * this.options.maxFrameSize
    return this.openBytes * this.options.approxComprRatio >= target
  }

  private closeReason(l1Head: bigint, force: boolean): string | undefined {
    if (this.openCount === 0) return undefined
    if (force) return 'forced'
    if (this.estimatedFull()) return 'full'
    if (this.cursor < this.blocks.length) return 'rlp-limit'
    const since = this.openSince ?? l1Head
    const { maxChannelDuration, channelTimeout, subSafetyMargin } = this.options
    if (maxChannelDuration > 0n && l1Head >= since + maxChannelDuration) return 'duration'
    if (l1Head + subSafetyMargin >= since + channelTimeout) return 'safety-margin'
    return undefined
  }

  private closeOpen(reason: string): Channel | undefined {
    if (this.openCount === 0) return undefined
    const blocks = this.blocks.slice(this.cursor - this.openCount, this.cursor)
    const channel = new Channel(Channel.randomId(), blocks, this.openSince ?? 0n, this.options)
    this.channels.push(channel)
    this.resetOpen()
    this.events.push({ type: 'closed', channel, reason })
    return channel
  }

  /** A channel that has a frame on L1 and cannot complete within the channel timeout any more is lost. */
  private checkTimeouts(l1Head: bigint): void {
    for (const channel of this.channels) {
      if (channel.isFullyConfirmed) continue
      const first = channel.firstInclusionBlock
      if (first !== undefined && l1Head > first + this.options.channelTimeout) {
        this.invalidate(channel)
        return
      }
    }
  }

  /** op-batcher `handleChannelInvalidated`: drop the channel and every newer one, queue their blocks again. */
  private invalidate(channel: Channel): void {
    const index = this.channels.indexOf(channel)
    if (index < 0) return
    const firstNumber = channel.blocks[0]!.number
    this.channels.splice(index)
    this.resetOpen()
    this.cursor = Number(firstNumber - this.blocks[0]!.number)
    this.events.push({ type: 'timed-out', channel, blocks: channel.blocks.length })
  }

  private resetOpen(): void {
    this.openSince = undefined
    this.openCount = 0
    this.openBytes = 0
  }

  private find(id: string): { channel: Channel | undefined; frame: number } {
    const [channelId, frame] = id.split(':')
    return { channel: this.channels.find((c) => c.id === channelId), frame: Number(frame) }
  }
}
