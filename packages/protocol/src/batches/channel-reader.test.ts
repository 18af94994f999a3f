import zlib from 'node:zlib'
import fc from 'fast-check'
import { concatBytes, type Hex, toRlp, zeroHash } from 'viem'
import { beforeAll, describe, expect, test } from 'vitest'
import { MAX_RLP_BYTES_PER_CHANNEL_BEDROCK } from '../config/chain-spec.js'
import { ProtocolError } from '../errors.js'
import { type BatchData, encodeBatch } from './batch.js'
import { ChannelAssembler } from './channel.js'
import {
  BrotliBeforeFjordError,
  ChannelCorruptError,
  ChannelEmptyError,
  ChannelRlpLimitError,
  ChannelTruncatedError,
  readChannel,
  UnknownCompressionError,
} from './channel-in.js'
import { buildChannel, compressChannel, encodeChannelStream } from './channel-out.js'
import { type CompressionAlgo, decompressBounded, ZlibHeaderError } from './decompress.js'
import type { SingularBatch } from './singular-batch.js'
import { singularBatchesToSpanBatch } from './span-batch-convert.js'
import { consecutiveSingularBatches, signTxPool, TEST_CHAIN_ID } from './test-fixtures.js'

const channelId: Hex = `0x${'ab'.repeat(16)}`

function singular(i: number, transactions: Hex[] = []): BatchData {
  const batch: SingularBatch = {
    parentHash: zeroHash,
    epochNumber: BigInt(i),
    epochHash: zeroHash,
    timestamp: BigInt(i),
    transactions,
  }
  return { type: 'singular', batch }
}

/** Compresses batch items with a flush after each, returning the compressed length at every flush. */
async function compressWithFlushes(batches: BatchData[], algo: CompressionAlgo) {
  const stream = algo === 'zlib' ? zlib.createDeflate({ level: 9 }) : zlib.createBrotliCompress()
  const flushKind = algo === 'zlib' ? zlib.constants.Z_SYNC_FLUSH : zlib.constants.BROTLI_OPERATION_FLUSH
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  const length = () => chunks.reduce((sum, c) => sum + c.length, 0) + (algo === 'brotli' ? 1 : 0)
  const cuts: number[] = []
  for (const batch of batches) {
    stream.write(toRlp(encodeBatch(batch), 'bytes'))
    await new Promise<void>((resolve) => stream.flush(flushKind, () => resolve()))
    cuts.push(length())
  }
  const ended = new Promise((resolve) => stream.on('end', resolve))
  stream.end()
  await ended
  const body = concatBytes(chunks)
  return { compressed: algo === 'zlib' ? body : concatBytes([Uint8Array.of(1), body]), cuts }
}

let pool: Hex[] = []
beforeAll(async () => {
  pool = (await signTxPool(40)).map((tx) => tx.raw)
})

describe('compression detection and algorithms (op-node TestBatchReader)', () => {
  const batches = () => [singular(1, pool.slice(0, 20))]
  const stream = () => encodeChannelStream(batches(), true)

  test.each([
    ['zlib, pre-Fjord', () => zlib.deflateSync(stream()), false],
    ['zlib, post-Fjord', () => zlib.deflateSync(stream()), true],
    ['brotli-9', () => concatBytes([Uint8Array.of(1), zlib.brotliCompressSync(stream(), { params: { 1: 9 } })]), true],
    [
      'brotli-10',
      () => concatBytes([Uint8Array.of(1), zlib.brotliCompressSync(stream(), { params: { 1: 10 } })]),
      true,
    ],
    [
      'brotli-11',
      () => concatBytes([Uint8Array.of(1), zlib.brotliCompressSync(stream(), { params: { 1: 11 } })]),
      true,
    ],
  ])('%s reads back the batch', (_, compress, fjord) => {
    const result = readChannel(compress(), { fjord, maxRlpBytes: 120_000 })
    expect(result.batches).toEqual(batches())
    expect(result.stop).toBeUndefined()
  })

  test('brotli before Fjord, an unknown version byte and empty data cannot be read', () => {
    const brotli = compressChannel(stream(), { compression: 'brotli', fjord: true })
    expect(() => readChannel(brotli, { fjord: false })).toThrow(BrotliBeforeFjordError)
    expect(() => readChannel(Uint8Array.of(2, ...brotli.subarray(1)), { fjord: true })).toThrow(UnknownCompressionError)
    expect(() => readChannel(new Uint8Array(0), { fjord: true })).toThrow(ChannelEmptyError)
  })

  test('a first byte with low nibble 15 is routed to zlib, whose header check rejects it', () => {
    expect(() => readChannel(Uint8Array.of(0x7f, 0x00, 1, 2), { fjord: true })).toThrow(ZlibHeaderError)
  })

  test('a zlib header with FDICT is accepted only for the empty dictionary, as Go does', () => {
    const body = zlib.deflateRawSync(stream())
    const withDict = (id: number[]) => Uint8Array.of(0x78, 0xbb, ...id, ...body) // 0x78bb: FDICT set, FCHECK valid
    expect(readChannel(withDict([0, 0, 0, 1]), { fjord: true }).batches).toEqual(batches())
    expect(() => readChannel(withDict([0, 0, 0, 2]), { fjord: true })).toThrow(ZlibHeaderError)
  })
})

describe('streaming: truncated and corrupt channels yield the batches before the damage', () => {
  test.each(['zlib', 'brotli'] as const)(
    '%s: a cut at each flush point yields exactly the batches before it',
    async (algo) => {
      const batches = Array.from({ length: 12 }, (_, i) => singular(i, pool.slice(i, i + 3)))
      const { compressed, cuts } = await compressWithFlushes(batches, algo)
      expect(readChannel(compressed, { fjord: true })).toEqual({ compression: algo, batches })
      cuts.forEach((cut, k) => {
        const result = readChannel(compressed.subarray(0, cut), { fjord: true })
        expect(result.batches).toEqual(batches.slice(0, k + 1))
        expect(result.stop).toBeInstanceOf(ChannelTruncatedError)
      })
    },
  )

  test.each(['zlib', 'brotli'] as const)('%s: any cut yields a prefix of the batches, never more', async (algo) => {
    const batches = Array.from({ length: 12 }, (_, i) => singular(i, pool.slice(i, i + 3)))
    const { compressed, cuts } = await compressWithFlushes(batches, algo)
    fc.assert(
      fc.property(fc.integer({ min: algo === 'zlib' ? 2 : 1, max: compressed.length }), (cut) => {
        const result = readChannel(compressed.subarray(0, cut), { fjord: true })
        expect(result.batches).toEqual(batches.slice(0, result.batches.length))
        expect(result.batches.length).toBeGreaterThanOrEqual(cuts.filter((c) => c <= cut).length)
      }),
      { numRuns: 400 },
    )
  })

  test('zlib: batches flushed before an invalid deflate block are all kept', async () => {
    const batches = Array.from({ length: 6 }, (_, i) => singular(i, pool.slice(i, i + 2)))
    const { compressed, cuts } = await compressWithFlushes(batches, 'zlib')
    // BFINAL=1, BTYPE=11 (reserved): invalid right after the 4th flush, in the same decoder call as the batches.
    const corrupt = concatBytes([compressed.subarray(0, cuts[3]!), Uint8Array.of(0xff, 0xff, 0xff)])
    const result = readChannel(corrupt, { fjord: true })
    expect(result.batches).toEqual(batches.slice(0, 4))
    expect(result.stop).toBeInstanceOf(ChannelCorruptError)
  })

  test('random corruption never throws and never returns a batch that was not there', async () => {
    const batches = Array.from({ length: 8 }, (_, i) => singular(i, pool.slice(i, i + 2)))
    for (const algo of ['zlib', 'brotli'] as const) {
      const { compressed } = await compressWithFlushes(batches, algo)
      fc.assert(
        fc.property(fc.integer({ min: 2, max: compressed.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
          const bytes = compressed.slice()
          bytes[at]! ^= xor
          // A flipped literal inside tx bytes can decode fine; op-node accepts such a batch too (zlib's checksum is
          // only checked after the data is handed out, brotli has none). What must hold: no crash, valid values.
          let result: ReturnType<typeof readChannel> | undefined
          try {
            result = readChannel(bytes, { fjord: true })
          } catch (error) {
            expect(error).toBeInstanceOf(ProtocolError)
          }
          for (const batch of result?.batches ?? []) expect(encodeBatch(batch).length).toBeGreaterThan(0)
        }),
        { numRuns: 500 },
      )
    }
  })
})

describe('MAX_RLP_BYTES_PER_CHANNEL zip-bomb guard', () => {
  const bomb = (count: number, size: number) =>
    Array.from({ length: count }, (_, i) => singular(i, [`0x${'00'.repeat(size)}` as Hex]))

  test('only batches ending within the first 10,000,000 bytes count before Fjord', () => {
    const batches = bomb(11, 1_000_000)
    const stream = encodeChannelStream(batches, true)
    const itemSize = stream.length / batches.length
    const compressed = compressChannel(stream, { compression: 'zlib', fjord: true })
    expect(compressed.length).toBeLessThan(100_000)
    const result = readChannel(compressed, { fjord: false })
    expect(result.batches).toEqual(batches.slice(0, Math.floor(MAX_RLP_BYTES_PER_CHANNEL_BEDROCK / itemSize)))
    expect(result.batches.length).toBe(9)
    expect(result.stop).toBeInstanceOf(ChannelRlpLimitError)
  }, 60_000)

  test('brotli output is cut at the limit too: 50 MB of zeros decompress to at most the limit', () => {
    const compressed = zlib.brotliCompressSync(new Uint8Array(50_000_000), { params: { 1: 5 } })
    expect(compressed.length).toBeLessThan(1000)
    const result = decompressBounded(compressed, 'brotli', 1_000_000)
    expect(result).toMatchObject({ end: 'limit' })
    expect(result.data.length).toBe(1_000_000)
  })

  test.each(['zlib', 'brotli'] as const)(
    '%s: a batch ending exactly at the limit counts, one byte more does not',
    (algo) => {
      const batches = [singular(1, pool.slice(0, 3)), singular(2, pool.slice(3, 6)), singular(3)]
      const stream = encodeChannelStream(batches, true)
      const secondEnd = stream.length - toRlp(encodeBatch(batches[2]!), 'bytes').length
      const compressed = compressChannel(stream, { compression: algo, fjord: true })
      const exact = readChannel(compressed, { fjord: true, maxRlpBytes: secondEnd })
      expect(exact.batches).toEqual(batches.slice(0, 2))
      expect(exact.stop).toBeInstanceOf(ChannelRlpLimitError)
      const short = readChannel(compressed, { fjord: true, maxRlpBytes: secondEnd - 1 })
      expect(short.batches).toEqual(batches.slice(0, 1))
    },
  )
})

describe('channel round trip', () => {
  test('batches -> frames (any order) -> channel -> batches, zlib and brotli, singular and span', () => {
    fc.assert(
      fc.property(
        consecutiveSingularBatches(pool, 6, 3),
        fc.constantFrom<CompressionAlgo>('zlib', 'brotli'),
        fc.integer({ min: 40, max: 400 }),
        fc.boolean(),
        ({ batches, firstStartsEpoch }, compression, maxFrameSize, asSpan) => {
          const data: BatchData[] = asSpan
            ? [
                {
                  type: 'span',
                  batch: singularBatchesToSpanBatch(batches, {
                    genesisTime: 0n,
                    blockTime: 2n,
                    chainId: TEST_CHAIN_ID,
                    firstBlockStartsEpoch: firstStartsEpoch,
                  }),
                },
              ]
            : batches.map((batch) => ({ type: 'singular', batch }))
          const built = buildChannel(data, { channelId, compression, maxFrameSize, fjord: true, brotliQuality: 5 })
          const channel = new ChannelAssembler(channelId)
          for (const frame of [...built.frames].reverse()) channel.addFrame(frame)
          expect(readChannel(channel.data(), { fjord: true })).toEqual({ compression, batches: data })
        },
      ),
      { numRuns: 1000 },
    )
  }, 120_000)

  test('arbitrary bytes as channel data never crash the reader', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          const result = readChannel(bytes, { fjord: true })
          expect(Array.isArray(result.batches)).toBe(true)
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError)
        }
      }),
      { numRuns: 3000 },
    )
  })
})

describe('bounded decompression', () => {
  const syncFlushed = (data: Uint8Array, algo: CompressionAlgo) =>
    algo === 'zlib'
      ? zlib.deflateSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH })
      : zlib.brotliCompressSync(data, { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH })

  test.each(['zlib', 'brotli'] as const)('%s: complete, truncated and limited streams are told apart', (algo) => {
    const data = new Uint8Array(200_000).map((_, i) => (i * 7919) % 251)
    const complete = algo === 'zlib' ? zlib.deflateSync(data) : zlib.brotliCompressSync(data)
    expect(decompressBounded(complete, algo, 1_000_000)).toEqual({ data, end: 'complete' })
    const cut = decompressBounded(syncFlushed(data, algo), algo, 1_000_000)
    expect(cut).toMatchObject({ data, end: 'truncated' })
    const limited = decompressBounded(complete, algo, 123_457)
    expect(limited).toEqual({ data: data.subarray(0, 123_457), end: 'limit' })
  })

  // The decoder detects the bad block in the same native call that writes the last good byte; replaying with
  // one-byte steps and a 0x00 then 0xff sentinel recovers it whatever its value.
  test.each([0x00, 0x41, 0xff])('zlib: every byte before an invalid block is returned (last byte %i)', (last) => {
    const data = Uint8Array.of(...new TextEncoder().encode('op-stack channel data '.repeat(50)), last)
    const corrupt = concatBytes([syncFlushed(data, 'zlib'), Uint8Array.of(0xff, 0xff)])
    const result = decompressBounded(corrupt, 'zlib', 1_000_000)
    expect(result).toMatchObject({ data, end: 'corrupt', reason: 'invalid block type' })
  })
})
