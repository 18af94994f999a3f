import zlib from 'node:zlib'
import { ProtocolError } from '../errors.js'

export type CompressionAlgo = 'zlib' | 'brotli'

/** Why decompression stopped: the stream's end, the output limit, the input's end mid-stream, or bad data. */
export type DecompressionEnd = 'complete' | 'limit' | 'truncated' | 'corrupt'

export type BoundedDecompression = {
  /** Everything the decoder produced before it stopped, at most `limit` bytes. */
  data: Uint8Array
  end: DecompressionEnd
  /** The decoder's message when `end` is 'corrupt' or 'truncated'. */
  reason?: string
}

/** The 2-byte zlib header is missing or not one Go's `zlib.NewReader` accepts; nothing can be read. */
export class ZlibHeaderError extends ProtocolError {
  override name = 'ZlibHeaderError'
}

/** Node's zlib binding no longer exposes what the synchronous streaming decoder needs. */
export class DecompressorUnavailableError extends ProtocolError {
  override name = 'DecompressorUnavailableError'
}

const CHUNK = 64 * 1024
/** adler32 of the empty dictionary: Go's zlib reader accepts FDICT when the dictionary id equals it. */
const EMPTY_DICTIONARY_ADLER32 = 1

/**
 * Decompresses `input` synchronously, stopping after `limit` output bytes, at the end of the input, or at the first
 * corrupt byte, and returns what was produced before that (op-node feeds the same prefix to its RLP reader, so
 * batches before a cut or the limit are still accepted). The public one-shot APIs cannot do this (they throw on
 * truncation and corruption, discarding the output) and the stream APIs are asynchronous, so this drives the same
 * native zlib/brotli engine the stream classes use, one bounded `writeSync` at a time.
 *
 * zlib: the RFC 1950 header is checked with Go's rules and the deflate body is inflated raw. The adler32 trailer is
 * not checked: Go reports a mismatch only after handing out all the data, so it cannot change which batches count.
 */
export function decompressBounded(input: Uint8Array, algo: CompressionAlgo, limit: number): BoundedDecompression {
  const body = algo === 'zlib' ? input.subarray(zlibBodyOffset(input)) : input
  const first = runEngine(algo, body, limit, Number.POSITIVE_INFINITY, 0)
  if (first.failedCallStart === undefined) return first.result
  // Node drops the output of a native call that reports an error, but Go hands out every byte decoded before it.
  // Replay the identical calls up to the failing one, then go one output byte per call: the erroring call can
  // then have written at most one byte, into our buffer. Two sentinels tell whether it did.
  const zeroSentinel = runEngine(algo, body, limit, first.failedCallStart, 0x00)
  const { result } = zeroSentinel
  if (zeroSentinel.lastByte === undefined) return result
  if (zeroSentinel.lastByte !== 0x00) return withByte(result, zeroSentinel.lastByte)
  const ffSentinel = runEngine(algo, body, limit, first.failedCallStart, 0xff)
  return ffSentinel.lastByte === 0xff ? result : withByte(result, 0x00)
}

function withByte(result: BoundedDecompression, byte: number): BoundedDecompression {
  const data = new Uint8Array(result.data.length + 1)
  data.set(result.data)
  data[result.data.length] = byte
  return { ...result, data }
}

/** Go `zlib.Reader.Reset` header checks; returns where the deflate body starts. */
function zlibBodyOffset(input: Uint8Array): number {
  if (input.length < 2) throw new ZlibHeaderError('zlib header truncated', { length: input.length })
  const cmf = input[0]!
  const flg = input[1]!
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) {
    throw new ZlibHeaderError('invalid zlib header', { cmf, flg })
  }
  if ((flg & 0x20) === 0) return 2
  if (input.length < 6) throw new ZlibHeaderError('zlib dictionary id truncated', { length: input.length })
  const dictionaryId = new DataView(input.buffer, input.byteOffset + 2, 4).getUint32(0)
  if (dictionaryId !== EMPTY_DICTIONARY_ADLER32) throw new ZlibHeaderError('zlib preset dictionary', { dictionaryId })
  return 6
}

type NativeHandle = {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void
  close(): void
  onerror: (message: string, errno: number, code: string) => void
}

type Engine = { handle: NativeHandle; state: Uint32Array; error: () => string | undefined }

function openEngine(algo: CompressionAlgo): Engine {
  const stream: unknown = algo === 'zlib' ? zlib.createInflateRaw({ windowBits: 15 }) : zlib.createBrotliDecompress()
  const internals = stream as { _handle?: Partial<NativeHandle>; _writeState?: unknown }
  const handle = internals._handle
  if (typeof handle?.writeSync !== 'function' || !(internals._writeState instanceof Uint32Array)) {
    throw new DecompressorUnavailableError('node:zlib native handle not available', { node: process.version })
  }
  let message: string | undefined
  handle.onerror = (msg: string) => {
    message = msg
  }
  return { handle: handle as NativeHandle, state: internals._writeState, error: () => message }
}

function runEngine(
  algo: CompressionAlgo,
  input: Uint8Array,
  limit: number,
  fineFrom: number,
  sentinel: number,
): { result: BoundedDecompression; failedCallStart?: number; lastByte?: number } {
  const engine = openEngine(algo)
  const step = algo === 'zlib' ? zlib.constants.Z_SYNC_FLUSH : zlib.constants.BROTLI_OPERATION_PROCESS
  const finish = algo === 'zlib' ? zlib.constants.Z_FINISH : zlib.constants.BROTLI_OPERATION_FINISH
  let out: Uint8Array = new Uint8Array(Math.min(limit, Math.max(CHUNK, input.length * 4)))
  let total = 0
  let inOff = 0
  let inLen = input.length
  try {
    while (total < limit) {
      const outLen = total >= fineFrom ? 1 : Math.min(CHUNK, limit - total)
      if (out.length - total < outLen) out = grow(out, Math.min(limit, Math.max(out.length * 2, total + outLen)))
      out[total] = sentinel
      engine.handle.writeSync(step, input, inOff, inLen, out, total, outLen)
      const reason = engine.error()
      if (reason !== undefined) {
        const result: BoundedDecompression = { data: out.subarray(0, total), end: 'corrupt', reason }
        return { result, failedCallStart: total, ...(outLen === 1 ? { lastByte: out[total]! } : {}) }
      }
      const produced = outLen - engine.state[0]!
      const consumed = inLen - engine.state[1]!
      total += produced
      inOff += consumed
      inLen -= consumed
      if (produced === 0 && consumed === 0) break
    }
    if (total >= limit) return { result: { data: out.subarray(0, total), end: 'limit' } }
    // Asking the decoder to finish tells a complete stream from one cut short.
    engine.handle.writeSync(finish, input, inOff, 0, new Uint8Array(1), 0, 1)
    const reason = engine.error()
    const end: DecompressionEnd = reason === undefined ? 'complete' : 'truncated'
    return { result: { data: out.subarray(0, total), end, ...(reason === undefined ? {} : { reason }) } }
  } finally {
    engine.handle.close()
  }
}

function grow(buffer: Uint8Array, size: number): Uint8Array {
  const bigger = new Uint8Array(size)
  bigger.set(buffer)
  return bigger
}
