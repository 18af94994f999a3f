import type { Common } from '@ethereumjs/common'
import { createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx'
import { Address } from '@ethereumjs/util'
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
  const tx = decodeSignedTx(raw, common)
  return { kind: 'signed', tx, raw, hash: signedTxHash(raw) }
}

/**
 * The hash of a decoded signed tx from its bytes. ethereumjs' `tx.hash()` re-serializes the tx first; decoding only
 * accepts canonical RLP without leading zeros, so the bytes are what it would serialize.
 */
export function signedTxHash(raw: Uint8Array): Uint8Array {
  return keccak256(raw)
}

/**
 * `createTxFromRLP` whose tx recovers its sender once. ethereumjs caches the public key but derives the address
 * again (pure-JS keccak) on every `getSenderAddress()`, which the pool, the builder and `runTx` each call; the memo
 * is installed before the tx is frozen, so ethereumjs' own caches (hash, public key) still work. `knownSender` is the
 * sender this same function already recovered from these bytes elsewhere (the pool's recovery worker).
 */
export function decodeSignedTx(raw: Uint8Array, common: Common, knownSender?: Uint8Array): TypedTransaction {
  const tx = createTxFromRLP(raw, { common: txCommon(common), freeze: false })
  let sender: Address | undefined = knownSender ? new Address(knownSender) : undefined
  Object.defineProperty(tx, 'getSenderAddress', {
    value: (): Address => {
      sender ??= new Address(keccak256(tx.getSenderPublicKey()).subarray(12))
      return sender
    },
  })
  Object.freeze(tx)
  return tx
}

const txCommons = new WeakMap<Common, Common>()

/**
 * One Common shared by every decoded tx. ethereumjs copies the Common per tx and merges the tx params into the copy
 * (JSON round trips and a params-cache rebuild, twice per legacy tx): 10–15% of a block's time went there. Txs only
 * read their Common, and merging the same params object again changes nothing, so the copy is the instance itself
 * and a params object is merged once.
 */
function txCommon(common: Common): Common {
  let shared = txCommons.get(common)
  if (shared) return shared
  const instance = common.copy()
  const merged = new WeakSet<object>()
  const updateParams = instance.updateParams.bind(instance)
  instance.updateParams = (params) => {
    if (merged.has(params)) return
    updateParams(params)
    merged.add(params)
  }
  instance.copy = () => instance
  shared = instance
  txCommons.set(common, shared)
  return shared
}
