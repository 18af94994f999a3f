import fc from 'fast-check'
import { bytesToHex, getAddress } from 'viem'
import { expect, test } from 'vitest'
import { applyL1ToL2Alias, undoL1ToL2Alias } from './aliasing.js'
import { AliasAddressError } from './errors.js'
import { PROPERTY_TEST_TIMEOUT } from './test-support.js'

test('OP Mainnet L1CrossDomainMessenger proxy aliases to the known L2 sender', () => {
  expect(applyL1ToL2Alias('0x25ace71c97B33Cc4729CF772ae268934F7ab5fA1')).toBe(
    '0x36BDE71C97B33Cc4729cf772aE268934f7AB70B2',
  )
  expect(undoL1ToL2Alias('0x36bde71c97b33cc4729cf772ae268934f7ab70b2')).toBe(
    '0x25ace71c97B33Cc4729CF772ae268934F7ab5fA1',
  )
})

test('aliasing wraps around uint160 like unchecked Solidity arithmetic', () => {
  expect(applyL1ToL2Alias('0xffffffffffffffffffffffffffffffffffffffff')).toBe(
    getAddress('0x1111000000000000000000000000000000001110'),
  )
  expect(undoL1ToL2Alias('0x0000000000000000000000000000000000000000')).toBe(
    getAddress('0xeeeeffffffffffffffffffffffffffffffffeeef'),
  )
})

test(
  'undo inverts apply on random addresses',
  () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
        const address = getAddress(bytesToHex(bytes))
        expect(undoL1ToL2Alias(applyL1ToL2Alias(address))).toBe(address)
        expect(applyL1ToL2Alias(undoL1ToL2Alias(address))).toBe(address)
      }),
      { numRuns: 2000 },
    )
  },
  PROPERTY_TEST_TIMEOUT,
)

test('a non-address -> AliasAddressError', () => {
  expect(() => applyL1ToL2Alias('0x1234')).toThrow(AliasAddressError)
})
