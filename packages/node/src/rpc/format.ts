import type { BlockHeader } from '@ethereumjs/block'
import { type Input, RLP } from '@ethereumjs/rlp'
import { Capability, type EIP2930CompatibleTx, type TypedTransaction } from '@ethereumjs/tx'
import { bytesToHex } from '@ethereumjs/util'
import { getAddress, type Hex } from 'viem'
import type { EngineReceipt } from '../engine/receipts.js'
import type { EngineTx } from '../engine/transactions.js'
import type { StoredBlock } from '../store/chain-store.js'
import { feeCaps } from '../txpool/pricing.js'

/** JSON-RPC formatting in geth's / op-geth's shapes (hex quantities, checksum-free lowercase data). */
export const quantity = (value: bigint | number): Hex => `0x${value.toString(16)}`
const hex = (bytes: Uint8Array): Hex => bytesToHex(bytes) as Hex
const ZERO: Hex = '0x0'

export type TxPosition = { blockHash: Hex; blockNumber: bigint; index: number; baseFee?: bigint }

export function senderOf(tx: EngineTx): Hex {
  return tx.kind === 'deposit' ? (tx.deposit.from.toLowerCase() as Hex) : (tx.tx.getSenderAddress().toString() as Hex)
}

export function formatHeader(header: BlockHeader): Record<string, unknown> {
  return {
    number: quantity(header.number),
    hash: hex(header.hash()),
    parentHash: hex(header.parentHash),
    nonce: hex(header.nonce),
    sha3Uncles: hex(header.uncleHash),
    logsBloom: hex(header.logsBloom),
    transactionsRoot: hex(header.transactionsTrie),
    stateRoot: hex(header.stateRoot),
    receiptsRoot: hex(header.receiptTrie),
    miner: header.coinbase.toString(),
    difficulty: quantity(header.difficulty),
    totalDifficulty: ZERO,
    extraData: hex(header.extraData),
    gasLimit: quantity(header.gasLimit),
    gasUsed: quantity(header.gasUsed),
    timestamp: quantity(header.timestamp),
    mixHash: hex(header.mixHash),
    baseFeePerGas: quantity(header.baseFeePerGas ?? 0n),
    withdrawalsRoot: hex(header.withdrawalsRoot ?? new Uint8Array(32)),
    blobGasUsed: quantity(header.blobGasUsed ?? 0n),
    excessBlobGas: quantity(header.excessBlobGas ?? 0n),
    parentBeaconBlockRoot: hex(header.parentBeaconBlockRoot ?? new Uint8Array(32)),
  }
}

/** The RLP size of the full block `[header, txs, uncles, withdrawals]` (typed txs as byte strings, legacy as lists). */
function blockSize(block: StoredBlock): number {
  const txs = block.transactions.map((tx) => (tx.raw[0]! >= 0xc0 ? RLP.decode(tx.raw) : tx.raw))
  return RLP.encode([block.header.raw(), txs as Input[], [], []]).length
}

export function formatBlock(block: StoredBlock, fullTransactions: boolean, receipts?: EngineReceipt[]) {
  const position = (index: number): TxPosition => ({
    blockHash: block.hash,
    blockNumber: block.header.number,
    index,
    baseFee: block.header.baseFeePerGas ?? 0n,
  })
  return {
    ...formatHeader(block.header),
    size: quantity(blockSize(block)),
    uncles: [],
    withdrawals: [],
    transactions: fullTransactions
      ? block.transactions.map((tx, i) => formatTransaction(tx, position(i), receipts?.[i]))
      : block.transactions.map((tx) => hex(tx.hash)),
  }
}

/**
 * A tx object. Deposits follow op-geth: type 0x7e, sourceHash, mint, isSystemTx, gasPrice 0, v/r/s zero, nonce =
 * the receipt's depositNonce and depositReceiptVersion from the receipt.
 */
export function formatTransaction(tx: EngineTx, at?: TxPosition, receipt?: EngineReceipt): Record<string, unknown> {
  const position = {
    blockHash: at?.blockHash ?? null,
    blockNumber: at ? quantity(at.blockNumber) : null,
    transactionIndex: at ? quantity(at.index) : null,
  }
  if (tx.kind === 'deposit') {
    const d = tx.deposit
    return {
      ...position,
      hash: hex(tx.hash),
      type: '0x7e',
      sourceHash: d.sourceHash,
      from: getAddress(d.from).toLowerCase(),
      to: d.to ? d.to.toLowerCase() : null,
      mint: quantity(d.mint),
      value: quantity(d.value),
      gas: quantity(d.gas),
      gasPrice: ZERO,
      isSystemTx: d.isSystemTx,
      input: d.data,
      nonce: quantity(receipt?.depositNonce ?? 0n),
      ...(receipt?.depositReceiptVersion !== undefined
        ? { depositReceiptVersion: quantity(receipt.depositReceiptVersion) }
        : {}),
      v: ZERO,
      r: ZERO,
      s: ZERO,
    }
  }
  return { ...position, ...formatSignedFields(tx.tx, at?.baseFee), hash: hex(tx.hash) }
}

function formatSignedFields(tx: TypedTransaction, baseFee: bigint | undefined): Record<string, unknown> {
  const caps = feeCaps(tx)
  const is1559 = tx.supports(Capability.EIP1559FeeMarket)
  // geth reports the effective gas price of a mined 1559 tx, and maxFeePerGas for a pending one
  const gasPrice = is1559 && baseFee !== undefined ? min(caps.feeCap, baseFee + caps.tipCap) : caps.feeCap
  const out: Record<string, unknown> = {
    type: quantity(tx.type),
    from: tx.getSenderAddress().toString(),
    to: tx.to ? tx.to.toString() : null,
    nonce: quantity(tx.nonce),
    gas: quantity(tx.gasLimit),
    gasPrice: quantity(gasPrice),
    value: quantity(tx.value),
    input: hex(tx.data),
    v: quantity(tx.v ?? 0n),
    r: quantity(tx.r ?? 0n),
    s: quantity(tx.s ?? 0n),
  }
  if (tx.type !== 0 || tx.v === undefined || tx.v >= 35n) out.chainId = quantity(tx.common.chainId())
  if (tx.supports(Capability.EIP2930AccessLists)) {
    out.accessList = (tx as EIP2930CompatibleTx).accessList.map(([address, keys]) => ({
      address: hex(address),
      storageKeys: keys.map(hex),
    }))
    out.yParity = quantity(tx.v ?? 0n)
  }
  if (is1559) {
    out.maxFeePerGas = quantity(caps.feeCap)
    out.maxPriorityFeePerGas = quantity(caps.tipCap)
  }
  return out
}

const min = (a: bigint, b: bigint) => (a < b ? a : b)

export type LogPosition = { blockHash: Hex; blockNumber: bigint; timestamp: bigint; txHash: Hex; txIndex: number }

export function formatLog(
  [address, topics, data]: EngineReceipt['logs'][number],
  at: LogPosition,
  logIndex: number,
  removed = false,
): Record<string, unknown> {
  return {
    address: hex(address),
    topics: topics.map(hex),
    data: hex(data),
    blockNumber: quantity(at.blockNumber),
    blockHash: at.blockHash,
    blockTimestamp: quantity(at.timestamp),
    transactionHash: at.txHash,
    transactionIndex: quantity(at.txIndex),
    logIndex: quantity(logIndex),
    removed,
  }
}

/** Receipts of one block, with the OP fields: L1-fee fields on signed txs, depositNonce/version on deposits. */
export function formatBlockReceipts(block: StoredBlock, receipts: EngineReceipt[]): Record<string, unknown>[] {
  let logIndex = 0
  return receipts.map((receipt, index) => {
    const out = formatReceiptAt(block, receipt, index, logIndex)
    logIndex += receipt.logs.length
    return out
  })
}

/**
 * One receipt of a block, without formatting the others: `eth_getTransactionReceipt` is polled per tx by every
 * client, and formatting the whole block (a sender recovery per tx) made each call O(block size).
 */
export function formatTransactionReceipt(
  block: StoredBlock,
  receipts: EngineReceipt[],
  index: number,
): Record<string, unknown> | null {
  const receipt = receipts[index]
  if (!receipt) return null
  let firstLogIndex = 0
  for (let i = 0; i < index; i++) firstLogIndex += receipts[i]!.logs.length
  return formatReceiptAt(block, receipt, index, firstLogIndex)
}

function formatReceiptAt(
  block: StoredBlock,
  receipt: EngineReceipt,
  index: number,
  firstLogIndex: number,
): Record<string, unknown> {
  let logIndex = firstLogIndex
  const tx = block.transactions[index]!
  const txHash = hex(tx.hash)
  const at = {
    blockHash: block.hash,
    blockNumber: block.header.number,
    timestamp: block.header.timestamp,
    txHash,
    txIndex: index,
  }
  const logs = receipt.logs.map((log) => formatLog(log, at, logIndex++))
  const to = tx.kind === 'deposit' ? tx.deposit.to : tx.tx.to?.toString()
  const out: Record<string, unknown> = {
    transactionHash: txHash,
    transactionIndex: quantity(index),
    blockHash: block.hash,
    blockNumber: quantity(block.header.number),
    from: senderOf(tx).toLowerCase(),
    to: to ? to.toLowerCase() : null,
    cumulativeGasUsed: quantity(receipt.cumulativeGasUsed),
    gasUsed: quantity(receipt.gasUsed),
    contractAddress: receipt.contractAddress ? hex(receipt.contractAddress) : null,
    logs,
    logsBloom: hex(receipt.logsBloom),
    type: quantity(receipt.type),
    status: quantity(receipt.status),
    effectiveGasPrice: quantity(receipt.effectiveGasPrice),
  }
  if (receipt.depositNonce !== undefined) out.depositNonce = quantity(receipt.depositNonce)
  if (receipt.depositReceiptVersion !== undefined) out.depositReceiptVersion = quantity(receipt.depositReceiptVersion)
  if (receipt.l1Fee) {
    const fee = receipt.l1Fee
    out.l1GasPrice = quantity(fee.l1GasPrice)
    out.l1GasUsed = quantity(fee.l1GasUsed)
    out.l1Fee = quantity(fee.l1Fee)
    if (fee.l1BaseFeeScalar !== undefined) out.l1BaseFeeScalar = quantity(fee.l1BaseFeeScalar)
    if (fee.l1BlobBaseFee !== undefined) out.l1BlobBaseFee = quantity(fee.l1BlobBaseFee)
    if (fee.l1BlobBaseFeeScalar !== undefined) out.l1BlobBaseFeeScalar = quantity(fee.l1BlobBaseFeeScalar)
  }
  return out
}
