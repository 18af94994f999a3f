import { Account, createAccountFromRLP } from '@ethereumjs/util'
import { rlpList, rlpString } from './trie/nodes.js'

const EMPTY = new Uint8Array(0)

/** Big-endian bytes without leading zeros (empty for 0), as RLP wants integers. */
export function unpaddedBytes(value: bigint): Uint8Array {
  if (value === 0n) return EMPTY
  const hex = value.toString(16)
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex')
}

/**
 * `account.serialize()` (RLP [nonce, balance, storageRoot, codeHash]) without ethereumjs' bigint → hex string →
 * validated hex → bytes round trip per field; byte-identical (tested).
 */
export function encodeAccount(account: Account): Uint8Array {
  return rlpList([
    rlpString(unpaddedBytes(account.nonce)),
    rlpString(unpaddedBytes(account.balance)),
    rlpString(account.storageRoot),
    rlpString(account.codeHash),
  ])
}

/**
 * Decoded accounts by their RLP (the same bytes object the account cache holds), so reading an account again does
 * not decode it again. Callers mutate the accounts they get (balance -= fee, then putAccount), so every read returns
 * a fresh copy.
 */
export class DecodedAccounts {
  private readonly decoded = new WeakMap<Uint8Array, Account>()

  remember(rlp: Uint8Array, account: Account): void {
    this.decoded.set(rlp, copyAccount(account))
  }

  read(rlp: Uint8Array): Account {
    let account = this.decoded.get(rlp)
    if (!account) {
      account = createAccountFromRLP(rlp)
      this.decoded.set(rlp, account)
    }
    return copyAccount(account)
  }
}

function copyAccount(account: Account): Account {
  return new Account(account.nonce, account.balance, account.storageRoot, account.codeHash)
}
