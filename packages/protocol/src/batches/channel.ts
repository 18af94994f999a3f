import type { Hex } from 'viem'
import { ProtocolError } from '../errors.js'
import type { Frame } from './frame.js'

/** op-node `frameOverhead`: a frame's bookkeeping cost, counted into a channel's size for pruning. */
export const CHANNEL_FRAME_SIZE_OVERHEAD = 200

/** op-node `Channel.AddFrame` refused the frame; the channel is unchanged. */
export class ChannelFrameRejectedError extends ProtocolError {
  override name = 'ChannelFrameRejectedError'
}

/**
 * Frames of one channel being assembled (op-node `Channel`, minus L1 bookkeeping). Frames may arrive out of order
 * unless `requireInOrder` (Holocene). The checks are consensus rules: a frame for another channel, a second closing
 * frame, a duplicate number, a number at or past the closing one, and (in order) a gap are refused; a closing frame
 * drops frames numbered above it.
 */
export class ChannelAssembler {
  readonly id: Hex
  private readonly requireInOrder: boolean
  private readonly frames = new Map<number, Frame>()
  private closed = false
  private endNumber = 0
  private highestNumber = 0
  private bytes = 0

  constructor(id: Hex, options: { requireInOrder?: boolean } = {}) {
    this.id = id.toLowerCase() as Hex
    this.requireInOrder = options.requireInOrder ?? false
  }

  /** Adds a frame or throws ChannelFrameRejectedError saying why. */
  addFrame(frame: Frame): void {
    const details = { channelId: frame.channelId, number: frame.number }
    if (frame.channelId.toLowerCase() !== this.id)
      throw new ChannelFrameRejectedError('frame of another channel', details)
    if (frame.isLast && this.closed) throw new ChannelFrameRejectedError('channel already closed', details)
    if (this.frames.has(frame.number)) throw new ChannelFrameRejectedError('duplicate frame', details)
    if (this.closed && frame.number >= this.endNumber) {
      throw new ChannelFrameRejectedError('frame number at or past the closing frame', details)
    }
    if (this.requireInOrder && frame.number !== this.frames.size) {
      throw new ChannelFrameRejectedError('frame out of order', details)
    }
    if (frame.isLast) {
      this.endNumber = frame.number
      this.closed = true
      if (this.endNumber < this.highestNumber) this.pruneAbove(this.endNumber)
    }
    if (frame.number > this.highestNumber) this.highestNumber = frame.number
    this.frames.set(frame.number, frame)
    this.bytes += frame.data.length + CHANNEL_FRAME_SIZE_OVERHEAD
  }

  /** Sum of frame data plus 200 per frame, as the channel bank prunes by. */
  get size(): number {
    return this.bytes
  }

  /** Closed, with every frame from 0 to the closing one. */
  get isReady(): boolean {
    if (!this.closed || this.frames.size !== this.endNumber + 1) return false
    for (let n = 0; n <= this.endNumber; n++) if (!this.frames.has(n)) return false
    return true
  }

  /** The channel's compressed data: frame data in frame order. Only valid once `isReady`. */
  data(): Uint8Array {
    if (!this.isReady) throw new ChannelFrameRejectedError('channel is not ready', { channelId: this.id })
    const parts = Array.from({ length: this.endNumber + 1 }, (_, n) => this.frames.get(n)!.data)
    const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
    let offset = 0
    for (const part of parts) {
      out.set(part, offset)
      offset += part.length
    }
    return out
  }

  /**
   * Drops frames numbered at or above the new closing number. Like op-node this subtracts every stored frame's size
   * while scanning (not only the dropped ones'); the size feeds channel-bank pruning, so the quirk is kept.
   */
  private pruneAbove(endNumber: number): void {
    for (const [number, frame] of this.frames) {
      if (number >= endNumber) this.frames.delete(number)
      this.bytes -= frame.data.length + CHANNEL_FRAME_SIZE_OVERHEAD
    }
    this.highestNumber = endNumber
  }
}
