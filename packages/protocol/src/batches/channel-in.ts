import { MAX_RLP_BYTES_PER_CHANNEL_BEDROCK, MAX_RLP_BYTES_PER_CHANNEL_FJORD } from '../config/chain-spec.js'
import { ProtocolError } from '../errors.js'
import { type BatchData, decodeBatch } from './batch.js'
import { type BoundedDecompression, type CompressionAlgo, decompressBounded } from './decompress.js'
import { RlpTruncatedError, readRlpBytes } from './rlp.js'

/** First byte of a Fjord brotli channel: `0x01 ++ brotli(stream)`. */
export const CHANNEL_VERSION_BROTLI = 0x01

/** The zip-bomb guard: decompressed bytes read from one channel (constants owned by config/chain-spec). */
export function channelRlpLimit(fjord: boolean): number {
  return fjord ? MAX_RLP_BYTES_PER_CHANNEL_FJORD : MAX_RLP_BYTES_PER_CHANNEL_BEDROCK
}

export class ChannelError extends ProtocolError {
  override name = 'ChannelError'
}

/** No channel data at all. */
export class ChannelEmptyError extends ChannelError {
  override name = 'ChannelEmptyError'
}

/** The first byte names no compression: low nibble neither 8 nor 15 (zlib), and not 0x01 (brotli). */
export class UnknownCompressionError extends ChannelError {
  override name = 'UnknownCompressionError'
}

/** A brotli channel (`0x01` prefix) read before Fjord. */
export class BrotliBeforeFjordError extends ChannelError {
  override name = 'BrotliBeforeFjordError'
}

/** The next batch would end past MAX_RLP_BYTES_PER_CHANNEL decompressed bytes. */
export class ChannelRlpLimitError extends ChannelError {
  override name = 'ChannelRlpLimitError'
}

/** The compressed stream ends before its end marker, inside or right after a batch. */
export class ChannelTruncatedError extends ChannelError {
  override name = 'ChannelTruncatedError'
}

/** The decoder hit invalid compressed data. */
export class ChannelCorruptError extends ChannelError {
  override name = 'ChannelCorruptError'
}

export type ChannelReadResult = {
  compression: CompressionAlgo
  /** Every batch fully decoded before reading stopped, in channel order. */
  batches: BatchData[]
  /** Why reading stopped before the clean end of the stream; undefined when it reached it. */
  stop?: ProtocolError
}

/**
 * op-node `BatchReader` over a whole channel: detects the compression by the first byte, decompresses at most
 * MAX_RLP_BYTES_PER_CHANNEL bytes, and decodes successive RLP byte strings as batches until the first failure.
 * Batches before a truncation, corruption, the size limit or an undecodable batch are returned (op-node accepts
 * them, then skips the rest of the channel); the reason reading stopped is in `stop`.
 * Throws when reading cannot start at all (empty data, unknown compression, brotli before Fjord, bad zlib header).
 * `maxRlpBytes` overrides the fork's limit (op-node's `BatchReader` takes it as a parameter too).
 */
export function readChannel(data: Uint8Array, options: { fjord: boolean; maxRlpBytes?: number }): ChannelReadResult {
  const compression = detectCompression(data, options.fjord)
  const input = compression === 'brotli' ? data.subarray(1) : data
  const limit = options.maxRlpBytes ?? channelRlpLimit(options.fjord)
  const decompressed = decompressBounded(input, compression, limit)
  const stream = decompressed.data
  const batches: BatchData[] = []
  let offset = 0
  while (offset < stream.length) {
    let item: ReturnType<typeof readRlpBytes>
    try {
      item = readRlpBytes(stream, offset)
    } catch (error) {
      if (error instanceof RlpTruncatedError) return { compression, batches, stop: endError(decompressed, offset) }
      return { compression, batches, stop: asProtocolError(error) }
    }
    try {
      batches.push(decodeBatch(stream.subarray(item.start, item.end)))
    } catch (error) {
      return { compression, batches, stop: asProtocolError(error) }
    }
    offset = item.end
  }
  return decompressed.end === 'complete'
    ? { compression, batches }
    : { compression, batches, stop: endError(decompressed, offset) }
}

/** op-node: `b & 0x0f` of 8 or 15 is zlib (reserved CM values), `0x01` is brotli from Fjord on. */
export function detectCompression(data: Uint8Array, fjord: boolean): CompressionAlgo {
  if (data.length === 0) throw new ChannelEmptyError('channel data is empty', { length: 0 })
  const first = data[0]!
  if ((first & 0x0f) === 8 || (first & 0x0f) === 15) return 'zlib'
  if (first === CHANNEL_VERSION_BROTLI) {
    if (!fjord) throw new BrotliBeforeFjordError('cannot accept brotli compressed batch before Fjord', { first })
    return 'brotli'
  }
  throw new UnknownCompressionError(`cannot distinguish the compression algo by type byte ${first}`, { first })
}

function endError(decompressed: BoundedDecompression, offset: number): ProtocolError {
  const details = { offset, decompressedBytes: decompressed.data.length, reason: decompressed.reason }
  if (decompressed.end === 'limit') return new ChannelRlpLimitError('batch exceeds MAX_RLP_BYTES_PER_CHANNEL', details)
  if (decompressed.end === 'corrupt') return new ChannelCorruptError('corrupt compressed data', details)
  return new ChannelTruncatedError('compressed stream ends before its end marker', details)
}

function asProtocolError(error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error
  throw error
}
