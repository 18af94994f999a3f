import fc from 'fast-check'
import { bytesToHex, hexToBytes } from 'viem'
import { describe, expect, test } from 'vitest'
import { ProtocolError } from '../errors.js'
import {
  BatcherTxEmptyError,
  BatcherTxUnknownVersionError,
  encodeBatcherTxData,
  parseBatcherTxData,
  parseFrames,
} from './batcher-tx.js'
import {
  encodeFrame,
  FRAME_OVERHEAD,
  type Frame,
  FrameEncodeError,
  FrameInvalidIsLastError,
  FrameTooLargeError,
  FrameTruncatedError,
  MAX_FRAME_DATA_LENGTH,
  parseFrame,
} from './frame.js'

const channelId = '0x0123456789abcdef0123456789abcdef'

const frameArb = fc.record({
  channelId: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => bytesToHex(b)),
  number: fc.integer({ min: 0, max: 0xffff }),
  data: fc.uint8Array({ maxLength: 2048 }),
  isLast: fc.boolean(),
})

describe('frame encoding', () => {
  test('a frame is channel_id ++ frame_number ++ frame_data_length ++ frame_data ++ is_last', () => {
    const bytes = encodeFrame({ channelId, number: 0x0102, data: Uint8Array.of(0xaa, 0xbb, 0xcc), isLast: true })
    expect(bytesToHex(bytes)).toBe(`${channelId}010200000003aabbcc01`)
    expect(bytes.length).toBe(FRAME_OVERHEAD + 3)
  })

  test('encode -> parse round-trips every frame', () => {
    fc.assert(
      fc.property(frameArb, (frame) => {
        const bytes = encodeFrame(frame)
        const { frame: parsed, next } = parseFrame(bytes)
        expect(parsed).toEqual(frame)
        expect(next).toBe(bytes.length)
      }),
      { numRuns: 3000 },
    )
  })

  test('refuses to encode a frame the format cannot carry', () => {
    const data = new Uint8Array(0)
    expect(() => encodeFrame({ channelId: '0x00', number: 0, data, isLast: false })).toThrow(FrameEncodeError)
    expect(() => encodeFrame({ channelId, number: 0x10000, data, isLast: false })).toThrow(FrameEncodeError)
    const big = new Uint8Array(MAX_FRAME_DATA_LENGTH + 1)
    expect(() => encodeFrame({ channelId, number: 0, data: big, isLast: false })).toThrow(FrameEncodeError)
  })
})

describe('frame parsing (op-node frame_test.go)', () => {
  const withData = encodeFrame({ channelId, number: 7, data: hexToBytes('0x0102030405060708'), isLast: false })
  const noData = encodeFrame({ channelId, number: 7, data: new Uint8Array(0), isLast: true })

  test('no data at all is a truncated frame', () => {
    expect(() => parseFrame(new Uint8Array(0))).toThrow(FrameTruncatedError)
  })

  // TestFrameUnmarshalTruncated: the cut points of the Go test, on frames with and without data.
  test.each([
    ['channel_id half', noData, 8],
    ['frame_number missing', noData, 16],
    ['frame_number half', noData, 17],
    ['frame_data_length missing', noData, 18],
    ['frame_data_length half', withData, 20],
    ['frame_data missing', withData, 22],
    ['frame_data last byte', withData, withData.length - 2],
    ['is_last missing', withData, withData.length - 1],
  ])('truncated at %s -> FrameTruncatedError', (_, bytes, cut) => {
    expect(() => parseFrame(bytes.subarray(0, cut))).toThrow(FrameTruncatedError)
  })

  test('is_last = 2 is invalid', () => {
    const bytes = withData.slice()
    bytes[bytes.length - 1] = 2
    expect(() => parseFrame(bytes)).toThrow(FrameInvalidIsLastError)
  })

  test('frame_data_length above 1,000,000 is invalid even before the data is there', () => {
    const bytes = hexToBytes(`${channelId}0000000f4241`) // length 1,000,001
    expect(() => parseFrame(bytes)).toThrow(FrameTooLargeError)
    const max = new Uint8Array(FRAME_OVERHEAD + MAX_FRAME_DATA_LENGTH)
    new DataView(max.buffer).setUint32(18, MAX_FRAME_DATA_LENGTH)
    expect(parseFrame(max).frame.data.length).toBe(MAX_FRAME_DATA_LENGTH)
  })

  test('the offending field is in the error details', () => {
    const bytes = withData.slice()
    bytes[bytes.length - 1] = 9
    expect(() => parseFrame(bytes)).toThrow(expect.objectContaining({ details: { offset: 0, isLast: 9 } }))
  })
})

describe('batcher transaction data', () => {
  const frames: Frame[] = [
    { channelId, number: 0, data: Uint8Array.of(1, 2, 3), isLast: false },
    { channelId, number: 1, data: new Uint8Array(0), isLast: true },
  ]

  test('version 0 carries concatenated frames', () => {
    const data = encodeBatcherTxData(frames)
    expect(data[0]).toBe(0)
    expect(parseBatcherTxData(data)).toEqual({ version: 0, frames })
  })

  test('version 1 hands back the raw alt-DA commitment', () => {
    const commitment = hexToBytes('0x010000deadbeef')
    expect(parseBatcherTxData(Uint8Array.of(1, ...commitment))).toEqual({ version: 1, commitment })
  })

  test('an unknown version is a typed error naming the version', () => {
    expect(() => parseBatcherTxData(Uint8Array.of(42))).toThrow(BatcherTxUnknownVersionError)
    expect(() => parseFrames(Uint8Array.of(42))).toThrow(expect.objectContaining({ details: { version: 42 } }))
  })

  test('empty data, or a version byte alone, holds no frames (TestParseFramesNoData / OnlyVersion)', () => {
    expect(() => parseFrames(new Uint8Array(0))).toThrow(BatcherTxEmptyError)
    expect(() => parseFrames(Uint8Array.of(0))).toThrow(BatcherTxEmptyError)
    expect(() => parseBatcherTxData(Uint8Array.of(1))).toThrow(BatcherTxEmptyError)
  })

  test('one bad frame drops every frame of the transaction (TestParseFramesTruncated)', () => {
    const data = encodeBatcherTxData([...frames, frames[0]!])
    expect(() => parseFrames(data.subarray(0, data.length - 2))).toThrow(FrameTruncatedError)
    const badIsLast = data.slice()
    badIsLast[1 + FRAME_OVERHEAD + 3 - 1] = 7
    expect(() => parseFrames(badIsLast)).toThrow(FrameInvalidIsLastError)
  })

  test('frames round-trip through batcher tx data', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 8 }), (list) => {
        expect(parseFrames(encodeBatcherTxData(list))).toEqual(list)
      }),
      { numRuns: 1000 },
    )
  })

  test('arbitrary bytes parse or fail with a ProtocolError, never anything else (FuzzParseFrames)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, versioned) => {
        const data = versioned ? Uint8Array.of(0, ...bytes) : bytes
        try {
          expect(parseFrames(data).length).toBeGreaterThan(0)
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError)
        }
      }),
      { numRuns: 3000 },
    )
  })
})
