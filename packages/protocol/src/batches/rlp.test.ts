import fc from 'fast-check'
import { bytesToHex, hexToBytes, toRlp } from 'viem'
import { describe, expect, test } from 'vitest'
import {
  RlpIntegerOverflowError,
  RlpKindError,
  RlpNonCanonicalError,
  RlpShapeError,
  RlpTruncatedError,
  readRlpBytes,
  readRlpFixedBytes,
  readRlpInteger,
  readRlpStruct,
} from './rlp.js'
import { encodeRlp, type RlpInput } from './rlp-writer.js'

const b = hexToBytes

describe('strict RLP reader (geth rlp.Stream rules)', () => {
  test.each([
    ['0x80', 0n],
    ['0x01', 1n],
    ['0x7f', 127n],
    ['0x8180', 128n],
    ['0x820400', 1024n],
    ['0x88ffffffffffffffff', (1n << 64n) - 1n],
  ])('uint64 %s = %s', (hex, value) => {
    expect(readRlpInteger(b(hex as `0x${string}`), 0, 8)).toBe(value)
  })

  test.each([
    ['0x00', RlpNonCanonicalError], // zero must be 0x80 (ErrCanonInt)
    ['0x8100', RlpNonCanonicalError], // leading zero (ErrCanonInt)
    ['0x8105', RlpNonCanonicalError], // byte below 0x80 with a prefix (ErrCanonSize)
    ['0x820001', RlpNonCanonicalError], // leading zero
    ['0x89010000000000000000', RlpIntegerOverflowError], // 9 bytes into a uint64
    ['0xc0', RlpKindError], // list where an integer belongs
    ['0x82ff', RlpTruncatedError],
  ])('uint64 %s is rejected', (hex, error) => {
    expect(() => readRlpInteger(b(hex as `0x${string}`), 0, 8)).toThrow(error)
  })

  test('long-form sizes must be canonical', () => {
    expect(() => readRlpBytes(b(`0xb801${'aa'}`), 0)).toThrow(RlpNonCanonicalError) // size 1 in long form
    const long = toRlp(new Uint8Array(56), 'bytes')
    expect(readRlpBytes(long, 0).end).toBe(58)
    expect(() => readRlpBytes(Uint8Array.of(0xb9, 0x00, 0x38, ...new Uint8Array(56)), 0)).toThrow(RlpNonCanonicalError)
  })

  test('fixed-size arrays must have the exact length', () => {
    expect(readRlpFixedBytes(toRlp(new Uint8Array(20), 'bytes'), 0, 20)).toHaveLength(20)
    expect(() => readRlpFixedBytes(toRlp(new Uint8Array(19), 'bytes'), 0, 20)).toThrow(RlpShapeError)
  })

  test('struct lists need the exact element count and elements inside the list', () => {
    expect(readRlpStruct(b('0xc3010203'), 0, 3)).toEqual([1, 2, 3])
    expect(() => readRlpStruct(b('0xc3010203'), 0, 2)).toThrow(RlpShapeError)
    expect(() => readRlpStruct(b('0xc2018203'), 0, 2)).toThrow(RlpTruncatedError) // element past the list end
  })
})

describe('RLP writer', () => {
  const { value } = fc.letrec<{ value: RlpInput }>((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.uint8Array({ maxLength: 80 }), fc.array(tie('value'), { maxLength: 5 })),
  }))

  test('writes the same bytes as viem toRlp for any nesting of strings and lists', () => {
    fc.assert(
      fc.property(value, (input) => {
        expect(bytesToHex(encodeRlp(input))).toBe(toRlp(input as Parameters<typeof toRlp>[0], 'hex'))
      }),
      { numRuns: 3000 },
    )
  })

  test('long payloads use the long-form header', () => {
    expect(bytesToHex(encodeRlp(new Uint8Array(1024)).subarray(0, 3))).toBe('0xb90400')
    expect(bytesToHex(encodeRlp([new Uint8Array(60)]).subarray(0, 4))).toBe('0xf83eb83c')
  })
})
