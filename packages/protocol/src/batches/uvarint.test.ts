import fc from 'fast-check'
import { bytesToHex, hexToBytes } from 'viem'
import { describe, expect, test } from 'vitest'
import { BitlistOverflowError, BitlistTruncatedError, decodeBitlist, encodeBitlist } from './bitlist.js'
import { decodeUvarint, encodeUvarint, UvarintOverflowError, UvarintTruncatedError } from './uvarint.js'

describe('uvarint (Go encoding/binary)', () => {
  test.each([
    [0n, '0x00'],
    [127n, '0x7f'],
    [128n, '0x8001'],
    [300n, '0xac02'],
    [21000n, '0x88a401'],
    [(1n << 64n) - 1n, '0xffffffffffffffffff01'],
  ])('%s <-> %s', (value, hex) => {
    expect(bytesToHex(encodeUvarint(value))).toBe(hex)
    expect(decodeUvarint(hexToBytes(hex as `0x${string}`), 0)).toEqual({ value, next: (hex.length - 2) / 2 })
  })

  test('non-minimal encodings decode as Go decodes them', () => {
    expect(decodeUvarint(hexToBytes('0x8000'), 0).value).toBe(0n)
  })

  test('overflow and truncation are typed errors', () => {
    expect(() => decodeUvarint(hexToBytes('0xffffffffffffffffff02'), 0)).toThrow(UvarintOverflowError)
    expect(() => decodeUvarint(hexToBytes('0xffffffffffffffffffff01'), 0)).toThrow(UvarintOverflowError)
    expect(() => decodeUvarint(hexToBytes('0x80'), 0)).toThrow(UvarintTruncatedError)
    expect(() => decodeUvarint(new Uint8Array(0), 0)).toThrow(UvarintTruncatedError)
    expect(() => encodeUvarint(1n << 64n)).toThrow(UvarintOverflowError)
  })

  test('round-trips every uint64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (value) => {
        const bytes = encodeUvarint(value)
        expect(decodeUvarint(bytes, 0)).toEqual({ value, next: bytes.length })
      }),
      { numRuns: 5000 },
    )
  })
})

describe('span-batch bitlist', () => {
  test('big-endian integer, bit i from the least significant end, left-padded to bytes', () => {
    // elements 0 and 9 set, 10 bits -> 0b10_0000_0001 -> 0x0201
    const bits = Array.from({ length: 10 }, (_, i) => i === 0 || i === 9)
    expect(bytesToHex(encodeBitlist(bits))).toBe('0x0201')
    expect(decodeBitlist(hexToBytes('0x0201'), 0, 10)).toEqual({ bits, next: 2 })
  })

  test('a set bit above the length is invalid; too few bytes are truncated', () => {
    expect(() => decodeBitlist(hexToBytes('0x0401'), 0, 10)).toThrow(BitlistOverflowError)
    expect(() => decodeBitlist(hexToBytes('0x02'), 0, 10)).toThrow(BitlistTruncatedError)
    expect(decodeBitlist(new Uint8Array(0), 0, 0)).toEqual({ bits: [], next: 0 })
  })

  test('round-trips any bit vector', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 300 }), (bits) => {
        const bytes = encodeBitlist(bits)
        expect(bytes.length).toBe(Math.ceil(bits.length / 8))
        expect(decodeBitlist(bytes, 0, bits.length).bits).toEqual(bits)
      }),
      { numRuns: 3000 },
    )
  })
})
