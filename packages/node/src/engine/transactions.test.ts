import { createAccessList2930Tx } from '@ethereumjs/tx'
import { bytesToHex, getAddress, hexToBytes, toHex, keccak256 as viemKeccak } from 'viem'
import { describe, expect, test } from 'vitest'
import { checksumAddress } from './crypto.js'
import { eip1559Tx, LOGGER_INITCODE, legacyTx, TEST_ADDRESSES, TEST_KEYS } from './testing/fixtures.js'
import { createTestEngine } from './testing/test-engine.js'
import { decodeTransaction, signedTxHash } from './transactions.js'

describe('signed tx decoding', () => {
  test('the hash from the bytes equals ethereumjs tx.hash() (legacy, access list, 1559, create); senders checksum as viem does', async () => {
    const { common } = await createTestEngine()
    const to = TEST_ADDRESSES[1]!
    const txs = [
      legacyTx(common, TEST_KEYS[0]!, { to, value: 1n, gasLimit: 21_000n, nonce: 0n, gasPrice: 7n }),
      legacyTx(common, TEST_KEYS[0]!, { data: LOGGER_INITCODE, gasLimit: 100_000n, nonce: 1n, gasPrice: 0n }),
      eip1559Tx(common, TEST_KEYS[2]!, {
        to,
        value: 10n ** 18n,
        data: '0x00ff',
        gasLimit: 30_000n,
        nonce: 300n,
        maxFeePerGas: 2n ** 70n,
        maxPriorityFeePerGas: 1n,
      }),
    ].map((tx) => tx.raw)
    txs.push(
      createAccessList2930Tx(
        {
          to: hexToBytes(to),
          gasLimit: 50_000n,
          gasPrice: 1n,
          chainId: common.chainId(),
          accessList: [[hexToBytes(to), []]],
        },
        { common },
      )
        .sign(hexToBytes(TEST_KEYS[3]!))
        .serialize(),
    )
    for (const raw of txs) {
      const decoded = decodeTransaction(raw, common)
      if (decoded.kind !== 'signed') throw new Error('expected a signed tx')
      expect(bytesToHex(decoded.hash)).toBe(bytesToHex(decoded.tx.hash()))
      expect(bytesToHex(signedTxHash(raw))).toBe(viemKeccak(raw))
      const sender = decoded.tx.getSenderAddress().bytes
      expect(checksumAddress(sender)).toBe(getAddress(toHex(sender)))
    }
  })

  test('checksumAddress equals viem getAddress', () => {
    for (let i = 0; i < 200; i++) {
      const address = hexToBytes(viemKeccak(toHex(i)).slice(0, 42) as `0x${string}`)
      expect(checksumAddress(address)).toBe(getAddress(toHex(address)))
    }
  })
})
