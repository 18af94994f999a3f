import fc from 'fast-check'
import { getAddress } from 'viem'
import { expect, test } from 'vitest'
import { arbitraryAddress, PROPERTY_TEST_TIMEOUT } from '../deposits/test-support.js'
import { addressFromBatcherHash, batcherHashFromAddress } from './batcher-hash.js'
import { BatcherHashError } from './errors.js'

test('version 0: a zero byte, 11 zero bytes, then the address', () => {
  expect(batcherHashFromAddress('0x5050F69a9786F081509234F1a7F4684b5E5b76C9')).toBe(
    '0x0000000000000000000000005050f69a9786f081509234f1a7f4684b5e5b76c9',
  )
})

test(
  'address -> hash -> address on random addresses',
  () => {
    fc.assert(
      fc.property(arbitraryAddress, (address) => {
        expect(addressFromBatcherHash(batcherHashFromAddress(address))).toBe(getAddress(address))
      }),
      { numRuns: 1000 },
    )
  },
  PROPERTY_TEST_TIMEOUT,
)

test.each([
  ['version 1', `0x01${'00'.repeat(11)}${'11'.repeat(20)}`],
  ['non-zero padding', `0x00${'00'.repeat(10)}01${'11'.repeat(20)}`],
  ['31 bytes', `0x${'00'.repeat(11)}${'11'.repeat(20)}`],
])('a batcher hash with %s -> BatcherHashError', (_name, hash) => {
  expect(() => addressFromBatcherHash(hash as `0x${string}`)).toThrow(BatcherHashError)
})

test('a non-address -> BatcherHashError', () => {
  expect(() => batcherHashFromAddress('0x1234')).toThrow(BatcherHashError)
})
