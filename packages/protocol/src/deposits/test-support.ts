import fc from 'fast-check'
import { type Address, bytesToHex, getAddress, type Hex } from 'viem'
import type { DepositTransaction } from './deposit-transaction.js'

/** fast-check generators shared by the deposit tests (not exported from the package). */
export const arbitraryBytes = (minLength: number, maxLength: number): fc.Arbitrary<Hex> =>
  fc.uint8Array({ minLength, maxLength }).map((bytes) => bytesToHex(bytes))

export const arbitraryHash: fc.Arbitrary<Hex> = arbitraryBytes(32, 32)

export const arbitraryAddress: fc.Arbitrary<Address> = arbitraryBytes(20, 20).map((hex) => getAddress(hex))

/** Amounts biased to the edges RLP cares about: 0, one byte, the top of the range. */
export const arbitraryUint = (bits: number): fc.Arbitrary<bigint> =>
  fc.oneof(
    fc.constant(0n),
    fc.bigInt({ min: 1n, max: 127n }),
    fc.bigInt({ min: 0n, max: 2n ** BigInt(bits) - 1n }),
    fc.constant(2n ** BigInt(bits) - 1n),
  )

export const arbitraryDepositTransaction: fc.Arbitrary<DepositTransaction> = fc.record({
  sourceHash: arbitraryHash,
  from: arbitraryAddress,
  to: fc.option(arbitraryAddress, { nil: null }),
  mint: arbitraryUint(256),
  value: arbitraryUint(256),
  gas: arbitraryUint(64),
  isSystemTx: fc.boolean(),
  data: fc.oneof(arbitraryBytes(0, 2), arbitraryBytes(0, 300)),
})

/** vitest's limit for one property test: thousands of cases on 2 shared cores need more than the 5 s default. */
export const PROPERTY_TEST_TIMEOUT = 120_000

/** A user deposit as the portal sees it (no source hash yet). */
export const arbitraryUserDeposit = fc.record({
  from: arbitraryAddress,
  to: fc.option(arbitraryAddress, { nil: null }),
  mint: arbitraryUint(256),
  value: arbitraryUint(256),
  gas: arbitraryUint(64),
  data: arbitraryBytes(0, 200),
})

/** The error `run` throws; fails the test when it returns. */
export function captureError(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}
