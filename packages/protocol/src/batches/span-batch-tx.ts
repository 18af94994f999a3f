import type { AccessList } from 'viem'
import { accessListToRlpItems, readRlpAccessList } from './access-list.js'
import { bigIntToMinimalBytes, readRlpHeader, readRlpInteger, readRlpStructSpanningInput } from './rlp.js'
import { encodeRlp } from './rlp-writer.js'
import {
  ACCESS_LIST_TX_TYPE,
  DYNAMIC_FEE_TX_TYPE,
  readData,
  type SignedTx,
  TypedTxTooShortError,
  UnsupportedTxTypeError,
} from './signed-tx.js'
import { SpanBatchTooBigError, SpanBatchTruncatedError, SpanBatchTxDataKindError } from './span-batch-errors.js'

/** op-node `MaxSpanBatchElementCount`: bound on blocks, txs, and the byte size of one tx_datas entry. */
export const MAX_SPAN_BATCH_ELEMENT_COUNT = 10_000_000

/** What a span batch keeps of a transaction in `tx_datas`; nonce, gas, to and signature live in other sections. */
export type SpanBatchTxData =
  | { type: 'legacy'; value: bigint; gasPrice: bigint; data: Uint8Array }
  | { type: 'eip2930'; value: bigint; gasPrice: bigint; data: Uint8Array; accessList: AccessList }
  | {
      type: 'eip1559'
      value: bigint
      maxPriorityFeePerGas: bigint
      maxFeePerGas: bigint
      data: Uint8Array
      accessList: AccessList
    }

/**
 * legacy `rlp([value, gasPrice, data])`, `0x01 ++ rlp([value, gasPrice, data, accessList])`,
 * `0x02 ++ rlp([value, maxPriorityFee, maxFee, data, accessList])`.
 */
export function encodeSpanBatchTxData(tx: SignedTx | SpanBatchTxData): Uint8Array {
  const n = bigIntToMinimalBytes
  if (tx.type === 'legacy') return encodeRlp([n(tx.value), n(tx.gasPrice), tx.data])
  const accessList = accessListToRlpItems(tx.accessList)
  const body =
    tx.type === 'eip2930'
      ? encodeRlp([n(tx.value), n(tx.gasPrice), tx.data, accessList])
      : encodeRlp([n(tx.value), n(tx.maxPriorityFeePerGas), n(tx.maxFeePerGas), tx.data, accessList])
  const out = new Uint8Array(body.length + 1)
  out[0] = tx.type === 'eip2930' ? ACCESS_LIST_TX_TYPE : DYNAMIC_FEE_TX_TYPE
  out.set(body, 1)
  return out
}

/**
 * op-node `spanBatchTx.UnmarshalBinary`: strict geth decoding of one tx_datas entry. Runs when the span batch is
 * derived, not when it is read from the channel, so its errors drop only this batch.
 */
export function decodeSpanBatchTxData(bytes: Uint8Array): SpanBatchTxData {
  if (bytes.length > 0 && bytes[0]! > 0x7f) {
    const [value, gasPrice, data] = readRlpStructSpanningInput(bytes, 0, 3)
    return {
      type: 'legacy',
      value: readRlpInteger(bytes, value),
      gasPrice: readRlpInteger(bytes, gasPrice),
      data: readData(bytes, data),
    }
  }
  if (bytes.length <= 1) throw new TypedTxTooShortError('typed span batch tx too short', { length: bytes.length })
  if (bytes[0] === ACCESS_LIST_TX_TYPE) {
    const [value, gasPrice, data, accessList] = readRlpStructSpanningInput(bytes, 1, 4)
    return {
      type: 'eip2930',
      value: readRlpInteger(bytes, value),
      gasPrice: readRlpInteger(bytes, gasPrice),
      data: readData(bytes, data),
      accessList: readRlpAccessList(bytes, accessList),
    }
  }
  if (bytes[0] === DYNAMIC_FEE_TX_TYPE) {
    const [value, tip, feeCap, data, accessList] = readRlpStructSpanningInput(bytes, 1, 5)
    return {
      type: 'eip1559',
      value: readRlpInteger(bytes, value),
      maxPriorityFeePerGas: readRlpInteger(bytes, tip),
      maxFeePerGas: readRlpInteger(bytes, feeCap),
      data: readData(bytes, data),
      accessList: readRlpAccessList(bytes, accessList),
    }
  }
  throw new UnsupportedTxTypeError(`span batch tx type ${bytes[0]} not supported`, { type: bytes[0] })
}

/**
 * op-node `ReadTxData`: one tx_datas entry at `offset`. A first byte up to 0x7f is a type byte (any value: unknown
 * types fail later, when deriving; 0x00 even counts as legacy for protected_bits), followed by one RLP list read
 * raw, whose header plus payload may not exceed MAX_SPAN_BATCH_ELEMENT_COUNT bytes.
 */
export function readSpanBatchTxData(
  bytes: Uint8Array,
  offset: number,
): { data: Uint8Array; type: number; next: number } {
  if (offset >= bytes.length) throw new SpanBatchTruncatedError('input ends before tx data', { offset })
  const first = bytes[offset]!
  const type = first <= 0x7f ? first : 0
  const listAt = first <= 0x7f ? offset + 1 : offset
  if (listAt >= bytes.length) throw new SpanBatchTruncatedError('input ends inside tx data prefix', { offset })
  const header = peekHeader(bytes, listAt)
  if (header.headerLength + header.size > MAX_SPAN_BATCH_ELEMENT_COUNT) {
    throw new SpanBatchTooBigError('tx data larger than MAX_SPAN_BATCH_ELEMENT_COUNT', { offset, size: header.size })
  }
  if (header.kind !== 'list') throw new SpanBatchTxDataKindError('tx RLP prefix type must be list', { offset })
  const end = listAt + header.headerLength + header.size
  if (end > bytes.length) throw new SpanBatchTruncatedError('input ends inside tx data', { offset, size: header.size })
  return { data: bytes.subarray(offset, end), type, next: end }
}

/** The RLP header at `offset` without bounding its size by the input, so the size limit can be checked first. */
function peekHeader(
  bytes: Uint8Array,
  offset: number,
): { kind: 'string' | 'list'; headerLength: number; size: number } {
  const header = readRlpHeader(bytes, offset, bytes.length, false)
  return { kind: header.kind, headerLength: header.single ? 0 : header.start - offset, size: header.end - header.start }
}
