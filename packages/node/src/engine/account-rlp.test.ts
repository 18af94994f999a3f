import { Account, bytesToHex, KECCAK256_NULL, KECCAK256_RLP } from '@ethereumjs/util'
import { describe, expect, test } from 'vitest'
import { DecodedAccounts, encodeAccount } from './account-rlp.js'
import { keccak256 } from './crypto.js'

describe('account RLP', () => {
  test('encodeAccount is byte-identical to ethereumjs serialize() across nonce and balance sizes', () => {
    const values = [
      0n,
      1n,
      0x7fn,
      0x80n,
      0xffn,
      0x100n,
      10n ** 18n,
      2n ** 64n - 1n,
      2n ** 255n + 12345n,
      2n ** 256n - 1n,
    ]
    for (const nonce of values.slice(0, 8)) {
      for (const balance of values) {
        for (const [storageRoot, codeHash] of [
          [KECCAK256_RLP, KECCAK256_NULL],
          [keccak256(Uint8Array.of(1)), keccak256(Uint8Array.of(2))],
        ]) {
          const account = new Account(nonce, balance, storageRoot, codeHash)
          expect(bytesToHex(encodeAccount(account))).toBe(bytesToHex(account.serialize()))
        }
      }
    }
  })

  test('reads return copies: mutating one does not change what the next read returns', () => {
    const accounts = new DecodedAccounts()
    const rlp = encodeAccount(new Account(3n, 100n))
    const first = accounts.read(rlp)
    first.balance -= 40n
    expect(accounts.read(rlp).balance).toBe(100n)
    const written = new Account(4n, 60n)
    const writtenRlp = encodeAccount(written)
    accounts.remember(writtenRlp, written)
    written.nonce = 99n
    expect(accounts.read(writtenRlp).nonce).toBe(4n)
  })
})
