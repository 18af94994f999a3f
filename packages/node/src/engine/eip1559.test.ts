import { describe, expect, test } from 'vitest'
import { nextBaseFee } from './eip1559.js'

const canyon = { elasticity: 6n, denominator: 250n }

describe('EIP-1559 base fee with Canyon parameters (elasticity 6, denominator 250)', () => {
  test('at target the base fee is unchanged', () => {
    expect(nextBaseFee({ gasLimit: 30_000_000n, gasUsed: 5_000_000n, baseFeePerGas: 10n ** 9n }, canyon)).toBe(
      10n ** 9n,
    )
  })
  test('an empty block lowers it by 1/250', () => {
    expect(nextBaseFee({ gasLimit: 30_000_000n, gasUsed: 0n, baseFeePerGas: 10n ** 9n }, canyon)).toBe(996_000_000n)
  })
  test('a full block raises it by 5/250 (gas used 6x target)', () => {
    expect(nextBaseFee({ gasLimit: 30_000_000n, gasUsed: 30_000_000n, baseFeePerGas: 10n ** 9n }, canyon)).toBe(
      1_020_000_000n,
    )
  })
  test('the increase is at least 1 wei, the decrease floors at 0', () => {
    expect(nextBaseFee({ gasLimit: 30_000_000n, gasUsed: 5_000_001n, baseFeePerGas: 7n }, canyon)).toBe(8n)
    expect(nextBaseFee({ gasLimit: 30_000_000n, gasUsed: 0n, baseFeePerGas: 0n }, canyon)).toBe(0n)
  })
})
