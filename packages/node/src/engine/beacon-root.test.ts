import { Address, bigIntToBytes, bytesToBigInt, hexToBytes, setLengthLeft } from '@ethereumjs/util'
import { BEACON_ROOTS_CODE } from '@opl/protocol'
import { describe, expect, test } from 'vitest'
import { BEACON_ROOTS } from './addresses.js'
import { attributesAfter, createTestEngine } from './testing/test-engine.js'

describe('EIP-4788 system call at block start', () => {
  test('stores timestamp and root in the ring buffer slots (timestamp % 8191 and + 8191)', async () => {
    const engine = await createTestEngine({ [BEACON_ROOTS]: { nonce: 1n, code: BEACON_ROOTS_CODE } })
    const attributes = attributesAfter(engine, [])
    const sealed = await engine.buildBlock(attributes)
    const address = new Address(hexToBytes(BEACON_ROOTS))
    const index = attributes.timestamp % 8191n
    const slot = (n: bigint) => setLengthLeft(bigIntToBytes(n), 32)
    expect(bytesToBigInt(await engine.stateManager.getStorage(address, slot(index)))).toBe(attributes.timestamp)
    expect(bytesToBigInt(await engine.stateManager.getStorage(address, slot(index + 8191n)))).toBe(
      BigInt(attributes.parentBeaconBlockRoot),
    )
    // outside the block's gas accounting
    expect(sealed.header.gasUsed).toBe(0n)
    // the system address is not left behind as an empty account
    expect(
      await engine.stateManager.getAccount(new Address(hexToBytes('0xfffffffffffffffffffffffffffffffffffffffe'))),
    ).toBeUndefined()
  })
})
