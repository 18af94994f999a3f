import type { Common } from '@ethereumjs/common'
import { createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx'
import {
  DEPOSIT_TX_TYPE,
  type DepositTransaction,
  decodeDepositTransaction,
  encodeDepositTransactionBytes,
} from '@opl/protocol'
import { keccak256 } from './crypto.js'
import { InvalidTransactionError, TxRejectReason } from './errors.js'

export { DEPOSIT_TX_TYPE }
/** A deposit (0x7E) as the engine consumes it: the protocol package's decoded form. */
export type DepositTx = DepositTransaction

/** A transaction ready for execution: decoded once, with its EIP-2718 bytes and hash. */
export type EngineTx =
  | { kind: 'deposit'; deposit: DepositTx; raw: Uint8Array; hash: Uint8Array }
  | { kind: 'signed'; tx: TypedTransaction; raw: Uint8Array; hash: Uint8Array }

export function depositTx(deposit: DepositTx): EngineTx {
  const raw = encodeDepositTransactionBytes(deposit)
  return { kind: 'deposit', deposit, raw, hash: keccak256(raw) }
}

export function signedTx(tx: TypedTransaction): EngineTx {
  const raw = tx.serialize()
  return { kind: 'signed', tx, raw, hash: tx.hash() }
}

/**
 * Decodes EIP-2718 bytes (as carried by payload attributes and batches). Blob (3) and set-code (4) transactions do
 * not exist under Granite: op-geth rejects them as unsupported types.
 */
export function decodeTransaction(raw: Uint8Array, common: Common): EngineTx {
  const type = raw[0]
  if (type === DEPOSIT_TX_TYPE)
    return { kind: 'deposit', deposit: decodeDepositTransaction(raw), raw, hash: keccak256(raw) }
  if (type === 3 || type === 4) throw new InvalidTransactionError(TxRejectReason.txTypeNotSupported, '', { type })
  const tx = createTxFromRLP(raw, { common })
  return { kind: 'signed', tx, raw, hash: tx.hash() }
}
