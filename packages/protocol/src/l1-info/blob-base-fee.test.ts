import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { PROPERTY_TEST_TIMEOUT } from '../deposits/test-support.js'
import { BLOB_BASE_FEE_UPDATE_FRACTION, computeBlobBaseFee, fakeExponential } from './blob-base-fee.js'
import { BlobBaseFeeError } from './errors.js'

const { cancun, prague } = BLOB_BASE_FEE_UPDATE_FRACTION

// go-ethereum consensus/misc/eip4844 TestFakeExponential
test.each([
  [1n, 0n, 1n, 1n],
  [38493n, 0n, 1000n, 38493n],
  [0n, 1234n, 2345n, 0n],
  [1n, 2n, 1n, 6n],
  [1n, 4n, 2n, 6n],
  [1n, 3n, 1n, 16n],
  [1n, 6n, 2n, 18n],
  [1n, 4n, 1n, 49n],
  [1n, 8n, 2n, 50n],
  [10n, 8n, 2n, 542n],
  [11n, 8n, 2n, 596n],
  [1n, 5n, 1n, 136n],
  [1n, 5n, 2n, 11n],
  [2n, 5n, 2n, 23n],
  [1n, 50000000n, 2225652n, 5709098764n],
])('fakeExponential(%s, %s, %s) = %s', (factor, numerator, denominator, expected) => {
  expect(fakeExponential(factor, numerator, denominator)).toBe(expected)
})

describe('blob base fee from excessBlobGas', () => {
  // go-ethereum TestCalcBlobFee (Cancun fraction)
  test.each([
    [0n, 1n],
    [2314057n, 1n],
    [2314058n, 2n],
    [10n * 1024n * 1024n, 23n],
  ])('Cancun: excess %s -> %s wei', (excess, fee) => {
    expect(computeBlobBaseFee(excess, cancun)).toBe(fee)
  })

  test('the same excess prices lower under Prague (EIP-7691 fraction 5007716)', () => {
    expect(computeBlobBaseFee(0x240000n, cancun)).toBe(2n)
    expect(computeBlobBaseFee(0x240000n, prague)).toBe(1n)
    // Where the Prague fee first reaches 2 wei, and the Cancun vector's excess under Prague.
    expect(computeBlobBaseFee(3471086n, prague)).toBe(1n)
    expect(computeBlobBaseFee(3471087n, prague)).toBe(2n)
    expect(computeBlobBaseFee(10n * 1024n * 1024n, prague)).toBe(8n)
  })

  test(
    'monotonic in excess, never below 1 wei, and Prague never above Cancun',
    () => {
      const excess = fc.bigInt({ min: 0n, max: 400_000_000n })
      fc.assert(
        fc.property(excess, excess, (a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a]
          expect(computeBlobBaseFee(low, cancun)).toBeLessThanOrEqual(computeBlobBaseFee(high, cancun))
          expect(computeBlobBaseFee(low, prague)).toBeGreaterThanOrEqual(1n)
          expect(computeBlobBaseFee(low, prague)).toBeLessThanOrEqual(computeBlobBaseFee(low, cancun))
        }),
        { numRuns: 1000 },
      )
    },
    PROPERTY_TEST_TIMEOUT,
  )

  test.each([
    ['negative excess', -1n, cancun],
    ['excess above uint64', 2n ** 64n, cancun],
    ['a zero update fraction', 1n, 0n],
    ['a fee that cannot fit uint256 (exponent 178)', 178n * cancun, cancun],
    ['the largest uint64 excess (would loop ~10^13 times)', 2n ** 64n - 1n, cancun],
  ])('%s -> BlobBaseFeeError', (_name, excess, fraction) => {
    expect(() => computeBlobBaseFee(excess, fraction)).toThrow(BlobBaseFeeError)
  })

  test('the largest exponent below the guard still computes a uint256 fee', () => {
    expect(computeBlobBaseFee(177n * cancun, cancun)).toBeLessThan(2n ** 256n)
  })
})
