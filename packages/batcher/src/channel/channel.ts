import type { RollupConfig } from '@opl/protocol'
import { type BuiltChannel, buildChannel, type CompressionAlgo, encodeBatcherTxData, type Frame } from '@opl/protocol'
import { bytesToHex, type Hex } from 'viem'
import type { L2Block } from '../l2/types.js'
import { type BatchType, blocksToBatches } from './block-to-batch.js'

/** One unit of submission: one frame, sent either as a DA commitment or as calldata (`0x00 || frame`). */
export type TxData = {
  /** `<channel id>:<frame number>`, stable across retries so confirmations find their frame. */
  id: string
  channelId: Hex
  frame: Frame
  /** Batcher payload `0x00 || frame`: the calldata on failover, the DA put body otherwise. */
  data: Uint8Array
}

export type ChannelOptions = {
  batchType: BatchType
  compression: CompressionAlgo
  brotliQuality?: number
  /** Largest frame, overhead included: max L1 tx size minus the version byte, so any frame fits a calldata tx. */
  maxFrameSize: number
  rollup: RollupConfig
}

/**
 * A channel after it was closed (op-batcher `channel` + `ChannelBuilder` once full): its blocks, its frames and the
 * submission state of each frame. Frames are handed out in order; a failed frame goes back to the front.
 */
export class Channel {
  readonly id: Hex
  readonly blocks: readonly L2Block[]
  readonly built: BuiltChannel
  /** L1 head when the channel was opened (its first block added). */
  readonly openedAtL1: bigint
  private readonly unsent: number[]
  private readonly pending = new Set<number>()
  private readonly confirmed = new Map<number, bigint>()

  constructor(id: Hex, blocks: readonly L2Block[], openedAtL1: bigint, options: ChannelOptions) {
    this.id = id
    this.blocks = blocks
    this.openedAtL1 = openedAtL1
    const fjord =
      options.rollup.forkTimes.fjord !== undefined && (blocks[0]?.timestamp ?? 0n) >= options.rollup.forkTimes.fjord
    this.built = buildChannel(blocksToBatches(blocks, options.batchType, options.rollup), {
      channelId: id,
      compression: options.compression,
      maxFrameSize: options.maxFrameSize,
      fjord,
      ...(options.brotliQuality !== undefined ? { brotliQuality: options.brotliQuality } : {}),
    })
    this.unsent = this.built.frames.map((f) => f.number)
  }

  get txCount(): number {
    return this.blocks.reduce((sum, b) => sum + b.transactions.length, 0)
  }

  /** The next frame to submit, or undefined when every frame is pending or confirmed. */
  nextTxData(): TxData | undefined {
    const number = this.unsent.shift()
    if (number === undefined) return undefined
    this.pending.add(number)
    const frame = this.built.frames[number]!
    return { id: `${this.id}:${number}`, channelId: this.id, frame, data: encodeBatcherTxData([frame]) }
  }

  /** The frame's tx failed: submit it again (before later frames, so frames stay in order where possible). */
  txFailed(frameNumber: number): void {
    if (!this.pending.delete(frameNumber)) return
    this.unsent.unshift(frameNumber)
    this.unsent.sort((a, b) => a - b)
  }

  txConfirmed(frameNumber: number, inclusionBlock: bigint): void {
    this.pending.delete(frameNumber)
    this.confirmed.set(frameNumber, inclusionBlock)
  }

  get confirmedFrames(): number {
    return this.confirmed.size
  }

  get hasUnsent(): boolean {
    return this.unsent.length > 0
  }

  get isFullySubmitted(): boolean {
    return this.unsent.length === 0 && this.pending.size === 0
  }

  get isFullyConfirmed(): boolean {
    return this.confirmed.size === this.built.frames.length
  }

  /**
   * op-batcher `channel.isTimedOut`: frames included more than the channel timeout apart can no longer be assembled by
   * derivation (the channel bank drops the channel once `current > open + timeout`), so the channel must be re-sent.
   */
  isTimedOut(channelTimeout: bigint): boolean {
    if (this.confirmed.size === 0) return false
    const blocks = [...this.confirmed.values()]
    const min = blocks.reduce((a, b) => (b < a ? b : a))
    const max = blocks.reduce((a, b) => (b > a ? b : a))
    return max - min >= channelTimeout
  }

  /** First L1 block holding one of its frames: derivation opens the channel there. */
  get firstInclusionBlock(): bigint | undefined {
    const blocks = [...this.confirmed.values()]
    return blocks.length === 0 ? undefined : blocks.reduce((a, b) => (b < a ? b : a))
  }

  /** Last L1 block holding one of its frames (meaningful once fully confirmed). */
  get maxInclusionBlock(): bigint {
    return [...this.confirmed.values()].reduce((a, b) => (b > a ? b : a), 0n)
  }

  static randomId(): Hex {
    return bytesToHex(crypto.getRandomValues(new Uint8Array(16)))
  }
}
