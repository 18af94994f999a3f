import { describe, expect, test } from 'vitest'
import { bumpFees } from './fees.js'

describe('bumpFees', () => {
  test('raises tip and fee cap by at least the bump percentage, rounding up (geth needs +10 % on both)', () => {
    const bumped = bumpFees(
      { maxPriorityFeePerGas: 1_000n, maxFeePerGas: 2_005n },
      { maxPriorityFeePerGas: 1n, maxFeePerGas: 1n },
      10n,
    )
    expect(bumped).toEqual({ maxPriorityFeePerGas: 1_100n, maxFeePerGas: 2_206n })
    // 2,005 × 1.1 = 2,205.5: rounding down would fall short of geth's check.
    expect(bumped.maxFeePerGas * 100n).toBeGreaterThanOrEqual(2_005n * 110n)
  })

  test("takes today's suggestion when it is higher than the bumped old value", () => {
    const bumped = bumpFees(
      { maxPriorityFeePerGas: 10n, maxFeePerGas: 100n },
      { maxPriorityFeePerGas: 50n, maxFeePerGas: 500n },
      10n,
    )
    expect(bumped).toEqual({ maxPriorityFeePerGas: 50n, maxFeePerGas: 500n })
  })

  test('the fee cap never drops below the tip', () => {
    const bumped = bumpFees(
      { maxPriorityFeePerGas: 10n, maxFeePerGas: 10n },
      { maxPriorityFeePerGas: 900n, maxFeePerGas: 20n },
      10n,
    )
    expect(bumped.maxFeePerGas).toBe(900n)
  })
})
