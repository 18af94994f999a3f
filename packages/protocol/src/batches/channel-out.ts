import zlib from 'node:zlib'
import type { Hex } from 'viem'
import { ProtocolError } from '../errors.js'
import { type BatchData, encodeBatch } from './batch.js'
import { CHANNEL_VERSION_BROTLI, channelRlpLimit } from './channel-in.js'
import type { CompressionAlgo } from './decompress.js'
import { FRAME_OVERHEAD, type Frame, MAX_FRAME_DATA_LENGTH } from './frame.js'
import { encodeRlp } from './rlp-writer.js'

/** op-batcher's default brotli level (`--compression-algo=brotli` is brotli-10). */
export const DEFAULT_BROTLI_QUALITY = 10
/** Frame numbers are uint16. */
export const MAX_FRAMES_PER_CHANNEL = 0x10000

export type ChannelBuildOptions = {
  channelId: Hex
  compression: CompressionAlgo
  /** Largest frame in bytes, its 23-byte overhead included (op-batcher: max L1 tx size minus the version byte). */
  maxFrameSize: number
  /** Fjord active where the channel lands: raises the RLP limit and allows brotli. */
  fjord: boolean
  brotliQuality?: number
}

export type BuiltChannel = { channelId: Hex; compressed: Uint8Array; frames: Frame[]; rlpBytes: number }

/** The batches' RLP stream exceeds MAX_RLP_BYTES_PER_CHANNEL (op-node `ErrTooManyRLPBytes`). */
export class ChannelTooLargeError extends ProtocolError {
  override name = 'ChannelTooLargeError'
}

/** Frame size or count outside what the frame format allows (op-node `ErrMaxFrameSizeTooSmall`, uint16 numbers). */
export class ChannelFramingError extends ProtocolError {
  override name = 'ChannelFramingError'
}

/** batches -> RLP byte strings -> compressed channel -> frames. */
export function buildChannel(batches: readonly BatchData[], options: ChannelBuildOptions): BuiltChannel {
  const stream = encodeChannelStream(batches, options.fjord)
  const compressed = compressChannel(stream, options)
  return {
    channelId: options.channelId,
    compressed,
    frames: splitIntoFrames(compressed, options.channelId, options.maxFrameSize),
    rlpBytes: stream.length,
  }
}

/** The decompressed channel: each batch as one RLP byte string, concatenated. */
export function encodeChannelStream(batches: readonly BatchData[], fjord: boolean): Uint8Array {
  const items = batches.map((batch) => encodeRlp(encodeBatch(batch)))
  const size = items.reduce((sum, item) => sum + item.length, 0)
  const limit = channelRlpLimit(fjord)
  if (size > limit) throw new ChannelTooLargeError('batches exceed MAX_RLP_BYTES_PER_CHANNEL', { size, limit })
  const out = new Uint8Array(size)
  let offset = 0
  for (const item of items) {
    out.set(item, offset)
    offset += item.length
  }
  return out
}

/** zlib at best compression (op-batcher), or Fjord's `0x01 ++ brotli(stream)`. */
export function compressChannel(
  stream: Uint8Array,
  options: Pick<ChannelBuildOptions, 'compression' | 'fjord' | 'brotliQuality'>,
): Uint8Array {
  if (options.compression === 'zlib') return new Uint8Array(zlib.deflateSync(stream, { level: 9 }))
  if (!options.fjord) throw new ChannelFramingError('brotli channels need Fjord', { compression: 'brotli' })
  const body = zlib.brotliCompressSync(stream, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: options.brotliQuality ?? DEFAULT_BROTLI_QUALITY,
      [zlib.constants.BROTLI_PARAM_LGWIN]: 22,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: stream.length,
    },
  })
  const out = new Uint8Array(body.length + 1)
  out[0] = CHANNEL_VERSION_BROTLI
  out.set(body, 1)
  return out
}

/**
 * Cuts compressed channel data into frames of at most `maxFrameSize` bytes (op-node `createEmptyFrame`): the frame
 * that takes the last byte is marked is_last.
 */
export function splitIntoFrames(compressed: Uint8Array, channelId: Hex, maxFrameSize: number): Frame[] {
  if (maxFrameSize < FRAME_OVERHEAD + 1) {
    throw new ChannelFramingError('max frame size too small for the frame overhead', { maxFrameSize })
  }
  const perFrame = Math.min(maxFrameSize - FRAME_OVERHEAD, MAX_FRAME_DATA_LENGTH)
  const count = Math.max(1, Math.ceil(compressed.length / perFrame))
  if (count > MAX_FRAMES_PER_CHANNEL) throw new ChannelFramingError('channel needs more than 65536 frames', { count })
  const frames: Frame[] = []
  for (let number = 0; number < count; number++) {
    frames.push({
      channelId,
      number,
      data: compressed.slice(number * perFrame, (number + 1) * perFrame),
      isLast: number === count - 1,
    })
  }
  return frames
}
