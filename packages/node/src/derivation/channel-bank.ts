import {
  ChannelAssembler,
  ChannelFrameRejectedError,
  channelTimeout,
  type Frame,
  maxChannelBankSize,
  type RollupConfig,
} from '@opl/protocol'
import type { Logger } from 'pino'
import type { Hex } from 'viem'
import type { L1BlockRef } from '../l1/types.js'
import { NotEnoughData } from './errors.js'
import type { FrameQueue } from './frame-queue.js'
import type { ResettableStage } from './types.js'

/** A channel being assembled, with the L1 block its first frame was seen in (the timeout counts from there). */
type OpenChannel = { assembler: ChannelAssembler; openedAt: L1BlockRef }

/** A complete channel's compressed data and the L1 block it completed in. */
export type ReadyChannel = { id: Hex; data: Uint8Array; completedAt: L1BlockRef }

/** Why the channel bank let a channel or frame go; reported so tests and metrics see it. */
export type ChannelBankEvent =
  | { kind: 'timeout'; id: Hex }
  | { kind: 'pruned'; id: Hex }
  | { kind: 'frame-rejected'; id: Hex; reason: string }

/**
 * op-node `ChannelBank`, pre-Holocene with the Canyon/Fjord/Granite rules: channels open on their first-seen frame,
 * tagged with the current L1 block; frames may arrive out of order and interleaved. A channel times out when
 * `origin.number > openedAt.number + channelTimeout` (50 from Granite). Reading returns the first ready, not timed-out
 * channel in FIFO order (Canyon), after dropping a timed-out channel at the front. After each ingested frame the bank is
 * pruned oldest-first down to MAX_CHANNEL_BANK_SIZE (frame data + 200 bytes per frame).
 */
export class ChannelBank implements ResettableStage {
  private readonly channels = new Map<Hex, OpenChannel>()
  private queue: Hex[] = []

  constructor(
    private readonly rollup: RollupConfig,
    private readonly frames: FrameQueue,
    private readonly log?: Logger,
    private readonly onEvent?: (event: ChannelBankEvent) => void,
    /** overrides MAX_CHANNEL_BANK_SIZE (tests: pruning without allocating a gigabyte) */
    private readonly maxSize?: number,
  ) {}

  get origin(): L1BlockRef {
    return this.frames.origin
  }

  /** Number of open channels (tests, metrics). */
  get size(): number {
    return this.queue.length
  }

  async nextData(): Promise<ReadyChannel> {
    const ready = this.read()
    if (ready) return ready
    // EndOfData from the frame queue passes through: nothing more at this origin.
    this.ingest(await this.frames.nextFrame())
    throw new NotEnoughData('frame ingested')
  }

  private timeout(): bigint {
    return channelTimeout(this.rollup, this.origin.timestamp)
  }

  private timedOut(channel: OpenChannel): boolean {
    return channel.openedAt.number + this.timeout() < this.origin.number
  }

  ingest(frame: Frame): void {
    const id = frame.channelId.toLowerCase() as Hex
    let channel = this.channels.get(id)
    if (!channel) {
      channel = { assembler: new ChannelAssembler(id), openedAt: this.origin }
      this.channels.set(id, channel)
      this.queue.push(id)
    }
    if (this.timedOut(channel)) {
      this.event({ kind: 'frame-rejected', id, reason: 'channel timed out' })
      return
    }
    try {
      channel.assembler.addFrame(frame)
    } catch (error) {
      if (!(error instanceof ChannelFrameRejectedError)) throw error
      this.event({ kind: 'frame-rejected', id, reason: error.message })
      return
    }
    this.prune()
  }

  /** A ready channel, removed from the bank; undefined when none is ready (op-node `Read` + `tryReadChannelAtIndex`). */
  private read(): ReadyChannel | undefined {
    // op-node drops one timed-out front channel per call and returns; looping here is equivalent and bounded.
    while (this.queue.length > 0) {
      const front = this.channels.get(this.queue[0]!)!
      if (!this.timedOut(front)) break
      this.remove(0)
      this.event({ kind: 'timeout', id: front.assembler.id })
    }
    for (let i = 0; i < this.queue.length; i++) {
      const channel = this.channels.get(this.queue[i]!)!
      if (this.timedOut(channel) || !channel.assembler.isReady) continue
      this.remove(i)
      return { id: channel.assembler.id, data: channel.assembler.data(), completedAt: this.origin }
    }
    return undefined
  }

  private prune(): void {
    const max = this.maxSize ?? maxChannelBankSize(this.rollup, this.origin.timestamp)
    let total = 0
    for (const id of this.queue) total += this.channels.get(id)!.assembler.size
    while (total > max && this.queue.length > 0) {
      const id = this.queue[0]!
      total -= this.channels.get(id)!.assembler.size
      this.remove(0)
      this.event({ kind: 'pruned', id })
    }
  }

  private remove(index: number): void {
    const [id] = this.queue.splice(index, 1)
    this.channels.delete(id!)
  }

  private event(event: ChannelBankEvent): void {
    this.log?.warn({ ...event, origin: this.origin.number }, `channel bank: ${event.kind}`)
    this.onEvent?.(event)
  }

  reset(): void {
    this.channels.clear()
    this.queue = []
  }
}
