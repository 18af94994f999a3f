import fc from 'fast-check'
import { type Hex, padHex } from 'viem'
import { describe, expect, test } from 'vitest'
import { PROPERTY_TEST_TIMEOUT } from '../deposits/test-support.js'
import { L1InfoFieldError, ScalarPaddingError, ScalarVersionError } from './errors.js'
import { assertValidEcotoneScalar, decodeEcotoneScalar, encodeEcotoneScalar } from './fee-scalars.js'

const word = (bytes: Record<number, number>): Hex => {
  const out = new Array<string>(32).fill('00')
  for (const [index, value] of Object.entries(bytes)) out[Number(index)] = value.toString(16).padStart(2, '0')
  return `0x${out.join('')}`
}

describe('vectors', () => {
  test("Base's Ecotone scalar (as its L1-info txs carry it): baseFeeScalar 2269, blobBaseFeeScalar 1055762", () => {
    const scalar = encodeEcotoneScalar({ baseFeeScalar: 2269, blobBaseFeeScalar: 1055762 })
    expect(scalar).toBe('0x01000000000000000000000000000000000000000000000000101c12000008dd')
    expect(decodeEcotoneScalar(scalar)).toEqual({ baseFeeScalar: 2269, blobBaseFeeScalar: 1055762 })
  })

  // op-node system_config_test.go "GasConfigEcotone"
  test('version 1: blobBaseFeeScalar from bytes 24..27, baseFeeScalar from bytes 28..31', () => {
    expect(decodeEcotoneScalar(word({ 0: 1, 27: 0xb3, 31: 0xbb }))).toEqual({
      baseFeeScalar: 0xbb,
      blobBaseFeeScalar: 0xb3,
    })
  })

  test('version 0: baseFeeScalar from bytes 28..31, blobBaseFeeScalar 0', () => {
    expect(decodeEcotoneScalar(padHex('0x0a6fe0', { size: 32 }))).toEqual({
      baseFeeScalar: 684_000,
      blobBaseFeeScalar: 0,
    })
  })

  test('version 0 with non-zero padding: baseFeeScalar is MaxUint32 (spec), but a ConfigUpdate with it is invalid', () => {
    const scalar = word({ 5: 1, 31: 0xaa })
    expect(decodeEcotoneScalar(scalar)).toEqual({ baseFeeScalar: 0xffff_ffff, blobBaseFeeScalar: 0 })
    expect(() => assertValidEcotoneScalar(scalar)).toThrow(ScalarPaddingError)
  })

  test('version 0 may use bytes 24..27 as padding only', () => {
    expect(decodeEcotoneScalar(word({ 27: 1, 31: 2 })).baseFeeScalar).toBe(0xffff_ffff)
  })
})

describe('invalid scalars', () => {
  test('version 1 with non-zero padding (bytes 1..23) -> ScalarPaddingError', () => {
    expect(() => decodeEcotoneScalar(word({ 0: 1, 23: 1 }))).toThrow(ScalarPaddingError)
    expect(() => assertValidEcotoneScalar(word({ 0: 1, 1: 1 }))).toThrow(ScalarPaddingError)
  })

  test.each([2, 0x80, 0xff])('version %s -> ScalarVersionError', (version) => {
    expect(() => decodeEcotoneScalar(word({ 0: version }))).toThrow(ScalarVersionError)
  })

  test('not 32 bytes -> L1InfoFieldError', () => {
    expect(() => decodeEcotoneScalar('0x01')).toThrow(L1InfoFieldError)
  })

  test('encoding a scalar above uint32 -> L1InfoFieldError', () => {
    expect(() => encodeEcotoneScalar({ baseFeeScalar: 2 ** 32, blobBaseFeeScalar: 0 })).toThrow(L1InfoFieldError)
  })
})

test(
  'decode(encode(scalars)) is scalars and the encoding is a valid version-1 scalar',
  () => {
    const uint32 = fc.nat({ max: 0xffff_ffff })
    fc.assert(
      fc.property(uint32, uint32, (baseFeeScalar, blobBaseFeeScalar) => {
        const scalar = encodeEcotoneScalar({ baseFeeScalar, blobBaseFeeScalar })
        expect(() => assertValidEcotoneScalar(scalar)).not.toThrow()
        expect(decodeEcotoneScalar(scalar)).toEqual({ baseFeeScalar, blobBaseFeeScalar })
      }),
      { numRuns: 2000 },
    )
  },
  PROPERTY_TEST_TIMEOUT,
)
