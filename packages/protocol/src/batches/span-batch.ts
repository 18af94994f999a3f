import { concatBytes, type Hex } from 'viem'
import { decodeBitlist, encodeBitlist } from './bitlist.js'
import { fromHex, toHex } from './hex.js'
import {
  SpanBatchEmptyError,
  SpanBatchEncodeError,
  SpanBatchTooBigError,
  SpanBatchTruncatedError,
} from './span-batch-errors.js'
import { MAX_SPAN_BATCH_ELEMENT_COUNT } from './span-batch-tx.js'
import { decodeSpanBatchTxs, encodeSpanBatchTxs, type SpanBatchTxs, spanBatchTxsToRawTxs } from './span-batch-txs.js'
import { decodeUvarint, encodeUvarint } from './uvarint.js'

/** Batch type byte of a span batch (Delta): a run of consecutive L2 blocks. */
export const SPAN_BATCH_TYPE = 0x01

/**
 * A span batch as on the wire (op-node `RawSpanBatch`):
 * `prefix = rel_timestamp ++ l1_origin_num ++ parent_check ++ l1_origin_check`,
 * `payload = block_count ++ origin_bits ++ block_tx_counts ++ txs`.
 */
export type RawSpanBatch = {
  /** First block's timestamp minus the genesis L2 time. */
  relTimestamp: bigint
  /** L1 origin number of the last block. */
  l1OriginNumber: bigint
  /** First 20 bytes of the first block's parent hash. */
  parentCheck: Hex
  /** First 20 bytes of the last block's L1 origin hash. */
  l1OriginCheck: Hex
  /** One per block (its length is block_count): whether the block's L1 origin advanced. */
  originBits: boolean[]
  blockTxCounts: number[]
  txs: SpanBatchTxs
}

/** One block of a derived span batch: what op-node keeps per block (no parent or L1 origin hash). */
export type SpanBatchElement = { epochNumber: bigint; timestamp: bigint; transactions: Hex[] }

/** A span batch with per-block timestamps, L1 origins and full signed txs (op-node `SpanBatch`). */
export type SpanBatch = { parentCheck: Hex; l1OriginCheck: Hex; elements: SpanBatchElement[] }

export type SpanBatchDeriveOptions = { genesisTime: bigint; blockTime: bigint; chainId: bigint }

/** Encodes the batch content (without the type byte). */
export function encodeRawSpanBatchContent(batch: RawSpanBatch): Uint8Array {
  const txCount = batch.blockTxCounts.reduce((sum, n) => sum + n, 0)
  if (batch.originBits.length === 0) throw new SpanBatchEncodeError('span batch has no blocks', { blockCount: 0 })
  if (batch.blockTxCounts.length !== batch.originBits.length || txCount !== batch.txs.datas.length) {
    throw new SpanBatchEncodeError('block_tx_counts do not match blocks and txs', { txCount })
  }
  return concatBytes([
    encodeUvarint(batch.relTimestamp),
    encodeUvarint(batch.l1OriginNumber),
    check(batch.parentCheck, 'parentCheck'),
    check(batch.l1OriginCheck, 'l1OriginCheck'),
    encodeUvarint(batch.originBits.length),
    encodeBitlist(batch.originBits),
    ...batch.blockTxCounts.map((n) => encodeUvarint(n)),
    ...encodeSpanBatchTxs(batch.txs),
  ])
}

/**
 * op-node `RawSpanBatch.decode`, rule for rule: empty and oversized counts, bitlist padding, tx data limits. Bytes
 * after the txs section are ignored, as op-node ignores them.
 */
export function decodeRawSpanBatchContent(content: Uint8Array): RawSpanBatch {
  const rel = decodeUvarint(content, 0)
  const origin = decodeUvarint(content, rel.next)
  let at = origin.next
  if (content.length - at < 40) throw new SpanBatchTruncatedError('input ends inside the span batch checks', { at })
  const parentCheck = toHex(content.subarray(at, at + 20))
  const l1OriginCheck = toHex(content.subarray(at + 20, at + 40))
  at += 40
  const blockCount = decodeUvarint(content, at)
  if (blockCount.value > BigInt(MAX_SPAN_BATCH_ELEMENT_COUNT)) {
    throw new SpanBatchTooBigError('block_count above MAX_SPAN_BATCH_ELEMENT_COUNT', { blockCount: blockCount.value })
  }
  if (blockCount.value === 0n) throw new SpanBatchEmptyError('span batch must not be empty', { blockCount: 0 })
  const blocks = Number(blockCount.value)
  const originBits = decodeBitlist(content, blockCount.next, blocks)
  at = originBits.next
  const blockTxCounts = new Array<number>(blocks)
  let txCount = 0
  for (let i = 0; i < blocks; i++) {
    const count = decodeUvarint(content, at)
    if (count.value > BigInt(MAX_SPAN_BATCH_ELEMENT_COUNT)) {
      throw new SpanBatchTooBigError('block tx count above MAX_SPAN_BATCH_ELEMENT_COUNT', { block: i })
    }
    blockTxCounts[i] = Number(count.value)
    txCount += blockTxCounts[i]!
    at = count.next
  }
  if (txCount > MAX_SPAN_BATCH_ELEMENT_COUNT) {
    throw new SpanBatchTooBigError('total tx count above MAX_SPAN_BATCH_ELEMENT_COUNT', { txCount })
  }
  const { txs } = decodeSpanBatchTxs(content, at, txCount)
  return {
    relTimestamp: rel.value,
    l1OriginNumber: origin.value,
    parentCheck,
    l1OriginCheck,
    originBits: originBits.bits,
    blockTxCounts,
    txs,
  }
}

/**
 * op-node `RawSpanBatch.derive`: per-block timestamps (`genesis + rel + blockTime * i`), L1 origins walked back
 * from `l1_origin_num` (block i's origin is block i-1's plus bit i; bit 0 only concerns the block before the span)
 * and full signed txs. Arithmetic wraps at 64 bits as op-node's uint64 does; the batch queue then rejects such
 * batches by their values.
 */
export function deriveSpanBatch(batch: RawSpanBatch, options: SpanBatchDeriveOptions): SpanBatch {
  const blocks = batch.originBits.length
  if (blocks === 0) throw new SpanBatchEmptyError('span batch must not be empty', { blockCount: 0 })
  const epochs = new Array<bigint>(blocks)
  let epoch = batch.l1OriginNumber
  for (let i = blocks - 1; i >= 0; i--) {
    epochs[i] = epoch
    if (batch.originBits[i] && i > 0) epoch = BigInt.asUintN(64, epoch - 1n)
  }
  const transactions = spanBatchTxsToRawTxs(batch.txs, options.chainId)
  const elements: SpanBatchElement[] = []
  let txIndex = 0
  for (let i = 0; i < blocks; i++) {
    const count = batch.blockTxCounts[i]!
    elements.push({
      epochNumber: epochs[i]!,
      timestamp: BigInt.asUintN(64, options.genesisTime + batch.relTimestamp + options.blockTime * BigInt(i)),
      transactions: transactions.slice(txIndex, txIndex + count),
    })
    txIndex += count
  }
  return { parentCheck: batch.parentCheck, l1OriginCheck: batch.l1OriginCheck, elements }
}

function check(value: Hex, field: string): Uint8Array {
  const bytes = fromHex(value)
  if (bytes.length !== 20) throw new SpanBatchEncodeError(`${field} must be 20 bytes`, { [field]: value })
  return bytes
}
