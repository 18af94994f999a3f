import type { AccessList, Address } from 'viem'
import { ProtocolError } from '../errors.js'
import { accessListToRlpItems, readRlpAccessList } from './access-list.js'
import { fromHex, toHex } from './hex.js'
import {
  bigIntToMinimalBytes,
  readRlpBytes,
  readRlpFixedBytes,
  readRlpInteger,
  readRlpStructSpanningInput,
} from './rlp.js'
import { encodeRlp } from './rlp-writer.js'

/** EIP-2718 type bytes of the transactions a span batch can carry. */
export const LEGACY_TX_TYPE = 0x00
export const ACCESS_LIST_TX_TYPE = 0x01
export const DYNAMIC_FEE_TX_TYPE = 0x02

type SignedTxCommon = {
  nonce: bigint
  gas: bigint
  /** null for a contract creation. */
  to: Address | null
  value: bigint
  data: Uint8Array
  r: bigint
  s: bigint
}

export type SignedLegacyTx = SignedTxCommon & { type: 'legacy'; gasPrice: bigint; v: bigint }
export type SignedAccessListTx = SignedTxCommon & {
  type: 'eip2930'
  chainId: bigint
  gasPrice: bigint
  accessList: AccessList
  yParity: bigint
}
export type SignedDynamicFeeTx = SignedTxCommon & {
  type: 'eip1559'
  chainId: bigint
  maxPriorityFeePerGas: bigint
  maxFeePerGas: bigint
  accessList: AccessList
  yParity: bigint
}
/** A signed transaction of a type span batches can carry, field for field as geth decodes it. */
export type SignedTx = SignedLegacyTx | SignedAccessListTx | SignedDynamicFeeTx

/** The transaction type cannot go into a span batch (deposits, blobs, set-code, unknown). */
export class UnsupportedTxTypeError extends ProtocolError {
  override name = 'UnsupportedTxTypeError'
}

/** A typed transaction of one byte or less (geth `errShortTypedTx`). */
export class TypedTxTooShortError extends ProtocolError {
  override name = 'TypedTxTooShortError'
}

/** Decodes an EIP-2718 signed transaction with geth's `Transaction.UnmarshalBinary` rules (no trailing bytes). */
export function decodeSignedTx(bytes: Uint8Array): SignedTx {
  if (bytes.length > 0 && bytes[0]! > 0x7f) {
    const [nonce, gasPrice, gas, to, value, data, v, r, s] = readRlpStructSpanningInput(bytes, 0, 9)
    return {
      type: 'legacy',
      nonce: readRlpInteger(bytes, nonce, 8),
      gasPrice: readRlpInteger(bytes, gasPrice),
      gas: readRlpInteger(bytes, gas, 8),
      to: readOptionalAddress(bytes, to),
      value: readRlpInteger(bytes, value),
      data: readData(bytes, data),
      v: readRlpInteger(bytes, v),
      r: readRlpInteger(bytes, r),
      s: readRlpInteger(bytes, s),
    }
  }
  if (bytes.length <= 1) throw new TypedTxTooShortError('typed transaction too short', { length: bytes.length })
  const type = bytes[0]!
  if (type === ACCESS_LIST_TX_TYPE) {
    const [chainId, nonce, gasPrice, ...rest] = readRlpStructSpanningInput(bytes, 1, 11)
    const fields = { chainId: readRlpInteger(bytes, chainId), nonce: readRlpInteger(bytes, nonce, 8) }
    return { type: 'eip2930', ...fields, gasPrice: readRlpInteger(bytes, gasPrice), ...readTypedTail(bytes, rest) }
  }
  if (type === DYNAMIC_FEE_TX_TYPE) {
    const [chainId, nonce, tip, feeCap, ...rest] = readRlpStructSpanningInput(bytes, 1, 12)
    return {
      type: 'eip1559',
      chainId: readRlpInteger(bytes, chainId),
      nonce: readRlpInteger(bytes, nonce, 8),
      maxPriorityFeePerGas: readRlpInteger(bytes, tip),
      maxFeePerGas: readRlpInteger(bytes, feeCap),
      ...readTypedTail(bytes, rest),
    }
  }
  throw new UnsupportedTxTypeError(`transaction type ${type} not supported`, { type })
}

/** Encodes a signed transaction to its EIP-2718 bytes. */
export function encodeSignedTx(tx: SignedTx): Uint8Array {
  const n = bigIntToMinimalBytes
  const to = tx.to === null ? new Uint8Array(0) : fromHex(tx.to)
  if (tx.type === 'legacy') {
    return encodeRlp([n(tx.nonce), n(tx.gasPrice), n(tx.gas), to, n(tx.value), tx.data, n(tx.v), n(tx.r), n(tx.s)])
  }
  const accessList = accessListToRlpItems(tx.accessList)
  const fees = tx.type === 'eip2930' ? [n(tx.gasPrice)] : [n(tx.maxPriorityFeePerGas), n(tx.maxFeePerGas)]
  const body = encodeRlp([
    n(tx.chainId),
    n(tx.nonce),
    ...fees,
    n(tx.gas),
    to,
    n(tx.value),
    tx.data,
    accessList,
    n(tx.yParity),
    n(tx.r),
    n(tx.s),
  ])
  const out = new Uint8Array(body.length + 1)
  out[0] = tx.type === 'eip2930' ? ACCESS_LIST_TX_TYPE : DYNAMIC_FEE_TX_TYPE
  out.set(body, 1)
  return out
}

/** geth `rlp.DecodeBytes`: one struct-list that must span the input to its end. */
/** The fields typed txs 1 and 2 share after their fee fields: gas, to, value, data, access list, signature. */
function readTypedTail(bytes: Uint8Array, [gas, to, value, data, accessList, yParity, r, s]: number[]) {
  return {
    gas: readRlpInteger(bytes, gas!, 8),
    to: readOptionalAddress(bytes, to!),
    value: readRlpInteger(bytes, value!),
    data: readData(bytes, data!),
    accessList: readRlpAccessList(bytes, accessList!),
    yParity: readRlpInteger(bytes, yParity!),
    r: readRlpInteger(bytes, r!),
    s: readRlpInteger(bytes, s!),
  }
}

/** geth's `To *common.Address \`rlp:"nil"\``: the empty string is a creation, otherwise exactly 20 bytes. */
export function readOptionalAddress(bytes: Uint8Array, offset: number): Address | null {
  if (bytes[offset] === 0x80) return null
  return toHex(readRlpFixedBytes(bytes, offset, 20))
}

export function readData(bytes: Uint8Array, offset: number): Uint8Array {
  const header = readRlpBytes(bytes, offset)
  return bytes.subarray(header.start, header.end)
}
