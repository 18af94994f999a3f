import type { Hex } from 'viem'
import type { SingularBatch } from './singular-batch.js'
import type { RawSpanBatch, SpanBatch } from './span-batch.js'
import { SpanBatchEncodeError, SpanBatchMissingOriginError } from './span-batch-errors.js'
import { appendSpanBatchTxs, emptySpanBatchTxs } from './span-batch-txs.js'

export type SingularToSpanOptions = {
  genesisTime: bigint
  blockTime: bigint
  chainId: bigint
  /** The first block opens a new epoch (its L1-info sequence number is 0): sets origin bit 0, as op-batcher does. */
  firstBlockStartsEpoch: boolean
}

/** A singular batch recovered from a span batch; the batch queue fills the parent hash from its safe head. */
export type UnparentedSingularBatch = Omit<SingularBatch, 'parentHash'>

/**
 * Packs consecutive singular batches into one span batch (op-node `SpanBatch.AppendSingularBatch` +
 * `ToRawSpanBatch`). Refuses input the format cannot carry, which op-node's batcher never produces: gaps between
 * timestamps, an L1 origin that goes back or skips a block.
 */
export function singularBatchesToSpanBatch(
  batches: readonly SingularBatch[],
  options: SingularToSpanOptions,
): RawSpanBatch {
  const first = batches[0]
  const last = batches.at(-1)
  if (first === undefined || last === undefined) throw new SpanBatchEncodeError('no batches to pack', { count: 0 })
  if (first.timestamp < options.genesisTime) {
    throw new SpanBatchEncodeError('first batch is older than genesis', { timestamp: first.timestamp })
  }
  const txs = emptySpanBatchTxs()
  const originBits: boolean[] = []
  batches.forEach((batch, i) => {
    const expected = first.timestamp + options.blockTime * BigInt(i)
    if (batch.timestamp !== expected) {
      throw new SpanBatchEncodeError('batch timestamps are not consecutive blocks', {
        index: i,
        timestamp: batch.timestamp,
      })
    }
    const previous = batches[i - 1]
    if (previous === undefined) {
      originBits.push(options.firstBlockStartsEpoch)
    } else {
      const step = batch.epochNumber - previous.epochNumber
      if (step !== 0n && step !== 1n) {
        throw new SpanBatchEncodeError('L1 origin must stay or advance by one', {
          index: i,
          epochNumber: batch.epochNumber,
        })
      }
      originBits.push(step === 1n)
    }
    appendSpanBatchTxs(txs, batch.transactions, options.chainId)
  })
  return {
    relTimestamp: first.timestamp - options.genesisTime,
    l1OriginNumber: last.epochNumber,
    parentCheck: prefix20(first.parentHash, 'parentHash'),
    l1OriginCheck: prefix20(last.epochHash, 'epochHash'),
    originBits,
    blockTxCounts: batches.map((batch) => batch.transactions.length),
    txs,
  }
}

/**
 * op-node `SpanBatch.GetSingularBatches`: the blocks after the safe head as singular batches, their epoch hashes
 * looked up in `l1Origins` (which must hold every epoch the span covers, in order).
 */
export function spanBatchToSingularBatches(
  span: SpanBatch,
  options: { l1Origins: readonly { number: bigint; hash: Hex }[]; l2SafeHeadTime?: bigint },
): UnparentedSingularBatch[] {
  const out: UnparentedSingularBatch[] = []
  let originIndex = 0
  for (const element of span.elements) {
    if (options.l2SafeHeadTime !== undefined && element.timestamp <= options.l2SafeHeadTime) continue
    while (originIndex < options.l1Origins.length && options.l1Origins[originIndex]!.number !== element.epochNumber) {
      originIndex++
    }
    const origin = options.l1Origins[originIndex]
    if (origin === undefined) {
      throw new SpanBatchMissingOriginError('no L1 origin for the epoch number', { epochNumber: element.epochNumber })
    }
    out.push({
      epochNumber: element.epochNumber,
      epochHash: origin.hash,
      timestamp: element.timestamp,
      transactions: element.transactions,
    })
  }
  return out
}

function prefix20(hash: Hex, field: string): Hex {
  if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) throw new SpanBatchEncodeError(`${field} must be 32 bytes`, { [field]: hash })
  return `0x${hash.slice(2, 42).toLowerCase()}`
}
