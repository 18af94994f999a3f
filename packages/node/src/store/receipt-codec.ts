import type { Log } from '@ethereumjs/evm'
import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import type { Hex } from 'viem'
import type { L1FeeReceiptFields } from '../engine/l1-fee.js'
import { type EngineReceipt, logsBloom } from '../engine/receipts.js'

type Quantity = Hex
type StoredL1Fee = { [K in keyof L1FeeReceiptFields]: Quantity }
type StoredReceipt = {
  type: number
  status: 0 | 1
  cumulativeGasUsed: Quantity
  gasUsed: Quantity
  logs: [Hex, Hex[], Hex][]
  /** absent since the bloom is recomputed from the logs on read (older stores have it) */
  logsBloom?: Hex
  effectiveGasPrice: Quantity
  contractAddress?: Hex
  depositNonce?: Quantity
  depositReceiptVersion?: Quantity
  l1Fee?: StoredL1Fee
}

const q = (value: bigint): Quantity => `0x${value.toString(16)}`

/**
 * A block's receipts as stored: JSON with hex quantities. The receipts trie only commits to the consensus fields, so
 * the RPC-only ones (gasUsed, effectiveGasPrice, contract address, the OP L1-fee fields) must be kept as well. The
 * logs bloom is not: it is a function of the logs, and as 512 hex characters per receipt it was most of the record
 * (and of its encoding time) for a block of token transfers; a read recomputes it.
 */
export function encodeReceipts(receipts: readonly EngineReceipt[]): Uint8Array {
  const stored = receipts.map((r): StoredReceipt => {
    const out: StoredReceipt = {
      type: r.type,
      status: r.status,
      cumulativeGasUsed: q(r.cumulativeGasUsed),
      gasUsed: q(r.gasUsed),
      logs: r.logs.map(([address, topics, data]) => [bytesToHex(address), topics.map(bytesToHex), bytesToHex(data)]),
      effectiveGasPrice: q(r.effectiveGasPrice),
    }
    if (r.contractAddress) out.contractAddress = bytesToHex(r.contractAddress)
    if (r.depositNonce !== undefined) out.depositNonce = q(r.depositNonce)
    if (r.depositReceiptVersion !== undefined) out.depositReceiptVersion = q(r.depositReceiptVersion)
    if (r.l1Fee) {
      const fee: StoredL1Fee = {
        l1Fee: q(r.l1Fee.l1Fee),
        l1GasUsed: q(r.l1Fee.l1GasUsed),
        l1GasPrice: q(r.l1Fee.l1GasPrice),
      }
      if (r.l1Fee.l1BlobBaseFee !== undefined) fee.l1BlobBaseFee = q(r.l1Fee.l1BlobBaseFee)
      if (r.l1Fee.l1BaseFeeScalar !== undefined) fee.l1BaseFeeScalar = q(r.l1Fee.l1BaseFeeScalar)
      if (r.l1Fee.l1BlobBaseFeeScalar !== undefined) fee.l1BlobBaseFeeScalar = q(r.l1Fee.l1BlobBaseFeeScalar)
      out.l1Fee = fee
    }
    return out
  })
  return new TextEncoder().encode(JSON.stringify(stored))
}

export function decodeReceipts(bytes: Uint8Array): EngineReceipt[] {
  const stored = JSON.parse(new TextDecoder().decode(bytes)) as StoredReceipt[]
  return stored.map((s): EngineReceipt => {
    const logs = s.logs.map(([a, t, d]): Log => [hexToBytes(a), t.map((x) => hexToBytes(x)), hexToBytes(d)])
    const receipt: EngineReceipt = {
      type: s.type,
      status: s.status,
      cumulativeGasUsed: BigInt(s.cumulativeGasUsed),
      gasUsed: BigInt(s.gasUsed),
      logs,
      logsBloom: s.logsBloom ? hexToBytes(s.logsBloom) : logsBloom(logs),
      effectiveGasPrice: BigInt(s.effectiveGasPrice),
    }
    if (s.contractAddress) receipt.contractAddress = hexToBytes(s.contractAddress)
    if (s.depositNonce !== undefined) receipt.depositNonce = BigInt(s.depositNonce)
    if (s.depositReceiptVersion !== undefined) receipt.depositReceiptVersion = BigInt(s.depositReceiptVersion)
    if (s.l1Fee) {
      const fee: L1FeeReceiptFields = {
        l1Fee: BigInt(s.l1Fee.l1Fee),
        l1GasUsed: BigInt(s.l1Fee.l1GasUsed),
        l1GasPrice: BigInt(s.l1Fee.l1GasPrice),
      }
      if (s.l1Fee.l1BlobBaseFee !== undefined) fee.l1BlobBaseFee = BigInt(s.l1Fee.l1BlobBaseFee)
      if (s.l1Fee.l1BaseFeeScalar !== undefined) fee.l1BaseFeeScalar = BigInt(s.l1Fee.l1BaseFeeScalar)
      if (s.l1Fee.l1BlobBaseFeeScalar !== undefined) fee.l1BlobBaseFeeScalar = BigInt(s.l1Fee.l1BlobBaseFeeScalar)
      receipt.l1Fee = fee
    }
    return receipt
  })
}
