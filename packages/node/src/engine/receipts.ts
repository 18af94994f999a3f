import type { Log } from '@ethereumjs/evm'
import { RLP } from '@ethereumjs/rlp'
import { bigIntToUnpaddedBytes, concatBytes } from '@ethereumjs/util'
import { Bloom } from '@ethereumjs/vm'
import type { L1FeeReceiptFields } from './l1-fee.js'

/** The consensus deposit receipt version from Canyon on (op-geth `CanyonDepositReceiptVersion`). */
export const CANYON_DEPOSIT_RECEIPT_VERSION = 1n

/** An executed transaction's receipt: consensus fields, plus what RPC needs (gasUsed, contract address, OP fees). */
export type EngineReceipt = {
  type: number
  status: 0 | 1
  cumulativeGasUsed: bigint
  gasUsed: bigint
  logs: Log[]
  logsBloom: Uint8Array
  /** gas price actually paid per gas (0 for deposits) */
  effectiveGasPrice: bigint
  contractAddress?: Uint8Array
  /** deposits only: sender nonce before execution, and the receipt version (both consensus fields since Canyon) */
  depositNonce?: bigint
  depositReceiptVersion?: bigint
  /** non-deposit txs only; reported over RPC, not part of the consensus encoding */
  l1Fee?: L1FeeReceiptFields
}

export function logsBloom(logs: Log[]): Uint8Array {
  const bloom = new Bloom()
  for (const [address, topics] of logs) {
    bloom.add(address)
    for (const topic of topics) bloom.add(topic)
  }
  return bloom.bitvector
}

/**
 * Consensus encoding (receipts trie value): `type || rlp([status, cumulativeGasUsed, bloom, logs])`, with
 * `depositNonce, depositReceiptVersion` appended for deposits (op-geth core/types/receipt.go `depositReceiptRLP`).
 */
export function encodeReceipt(receipt: EngineReceipt): Uint8Array {
  const fields: (Uint8Array | Log[])[] = [
    receipt.status === 1 ? Uint8Array.of(1) : new Uint8Array(),
    bigIntToUnpaddedBytes(receipt.cumulativeGasUsed),
    receipt.logsBloom,
    receipt.logs,
  ]
  if (receipt.depositNonce !== undefined) {
    fields.push(bigIntToUnpaddedBytes(receipt.depositNonce))
    if (receipt.depositReceiptVersion !== undefined) fields.push(bigIntToUnpaddedBytes(receipt.depositReceiptVersion))
  }
  const encoded = RLP.encode(fields)
  return receipt.type === 0 ? encoded : concatBytes(Uint8Array.of(receipt.type), encoded)
}
