import {
  DEPOSIT_TX_TYPE,
  isForkActive,
  maxSequencerDrift,
  type RollupConfig,
  type SingularBatch,
  type SpanBatch,
} from '@opl/protocol'
import type { Hex } from 'viem'
import type { L1BlockRef } from '../l1/types.js'
import { type L2BlockRef, l2BlockRefOf } from '../sequencer/l2-block-ref.js'
import type { DerivationChain } from './types.js'

/** op-node `BatchValidity`, with the reason a batch was dropped (logged and reported). */
export type BatchValidity =
  | { kind: 'accept' }
  | { kind: 'drop'; reason: string }
  | { kind: 'undecided'; reason: string }
  | { kind: 'future' }

const accept: BatchValidity = { kind: 'accept' }
const drop = (reason: string): BatchValidity => ({ kind: 'drop', reason })
const undecided = (reason: string): BatchValidity => ({ kind: 'undecided', reason })

type Context = {
  rollup: RollupConfig
  /** consecutive L1 blocks from the safe head's epoch on (op-node `l1Blocks`) */
  l1Blocks: readonly L1BlockRef[]
  safe: L2BlockRef
  inclusion: L1BlockRef
}

/**
 * op-node `checkSingularBatch`, pre-Holocene, rule for rule. The spec also lists "tx type > 2 → drop"; op-node has no
 * such check in the batch queue (the engine rejects the payload instead): follow op-node.
 */
export function checkSingularBatch(ctx: Context, batch: SingularBatch): BatchValidity {
  const { rollup, l1Blocks, safe, inclusion } = ctx
  if (l1Blocks.length === 0) return undecided('no L1 blocks')
  const epoch = l1Blocks[0]!
  const nextTimestamp = safe.timestamp + rollup.blockTime
  if (batch.timestamp > nextTimestamp) return { kind: 'future' }
  if (batch.timestamp < nextTimestamp) return drop('past batch with old timestamp')
  if (batch.parentHash !== safe.hash) return drop('parent hash does not match the safe head')
  if (batch.epochNumber + rollup.seqWindowSize < inclusion.number)
    return drop('included too late, sequence window expired')

  let origin = epoch
  if (batch.epochNumber < epoch.number) return drop('epoch too old')
  if (batch.epochNumber === epoch.number + 1n) {
    if (l1Blocks.length < 2) return undecided('batch advances the epoch, next L1 block unknown')
    origin = l1Blocks[1]!
  } else if (batch.epochNumber !== epoch.number) {
    return drop('epoch too far ahead')
  }
  if (batch.epochHash !== origin.hash) return drop('epoch hash does not match the L1 chain')
  if (batch.timestamp < origin.timestamp) return drop('timestamp before the L1 origin')

  const drift = checkDrift({
    rollup,
    timestamp: batch.timestamp,
    origin,
    txCount: batch.transactions.length,
    advancesEpoch: epoch.number !== origin.number,
    nextOrigin: l1Blocks[1],
  })
  if (drift) return drift
  return checkTransactions(batch.transactions) ?? accept
}

/**
 * op-node `checkSpanBatch` (prefix + per-block rules + overlap with the safe chain), pre-Holocene. `chain` serves
 * the safe blocks a span batch overlaps.
 */
export async function checkSpanBatch(ctx: Context, batch: SpanBatch, chain: DerivationChain): Promise<BatchValidity> {
  const { rollup, l1Blocks, safe, inclusion } = ctx
  if (l1Blocks.length === 0) return undecided('no L1 blocks')
  const epoch = l1Blocks[0]!
  const elements = batch.elements
  const first = elements[0]!
  const last = elements.at(-1)!
  const startEpoch = first.epochNumber
  let batchOrigin = epoch
  if (startEpoch === epoch.number + 1n) {
    if (l1Blocks.length < 2) return undecided('span batch advances the epoch, next L1 block unknown')
    batchOrigin = l1Blocks[1]!
  }
  if (!isForkActive(rollup, 'delta', batchOrigin.timestamp)) return drop('span batch with L1 origin before Delta')

  const nextTimestamp = safe.timestamp + rollup.blockTime
  if (first.timestamp > nextTimestamp) return { kind: 'future' }
  if (last.timestamp < nextTimestamp) return drop('span batch has no new blocks after the safe head')

  let parent = safe
  if (first.timestamp < nextTimestamp) {
    if (first.timestamp > safe.timestamp) return drop('misaligned timestamp: between safe head and next')
    if ((safe.timestamp - first.timestamp) % rollup.blockTime !== 0n)
      return drop('misaligned timestamp: not overlapped exactly')
    const parentNumber = safe.number - (safe.timestamp - first.timestamp) / rollup.blockTime - 1n
    const block = await chain.blockByNumber(parentNumber)
    if (!block) return undecided(`L2 block ${parentNumber} unavailable`)
    parent = l2BlockRefOf(rollup, block)
  }
  if (!matchesCheck(batch.parentCheck, parent.hash)) return drop('parent check does not match')
  if (startEpoch + rollup.seqWindowSize < inclusion.number) return drop('included too late, sequence window expired')
  if (startEpoch > parent.l1Origin.number + 1n) return drop('epoch too far ahead')

  const endEpoch = last.epochNumber
  const endOrigin = l1Blocks.find((block) => block.number === endEpoch)
  if (!endOrigin) return undecided('need more L1 blocks to check the span batch origins')
  if (!matchesCheck(batch.l1OriginCheck, endOrigin.hash)) return drop('L1 origin check does not match')
  if (startEpoch < parent.l1Origin.number) return drop('epoch too old')

  let originIndex = 0
  let originAdvanced = startEpoch === parent.l1Origin.number + 1n
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]!
    if (element.timestamp <= safe.timestamp) continue
    // op-node leaves the origin as a zero ref when not found; l1Blocks always holds it here (checked via endOrigin).
    let origin: L1BlockRef | undefined
    for (let j = originIndex; j < l1Blocks.length; j++) {
      if (l1Blocks[j]!.number === element.epochNumber) {
        origin = l1Blocks[j]
        originIndex = j
        break
      }
    }
    if (!origin) return drop(`L1 origin ${element.epochNumber} of block ${i} not in the L1 window`)
    if (i > 0) originAdvanced = element.epochNumber > elements[i - 1]!.epochNumber
    if (element.timestamp < origin.timestamp) return drop(`block ${i} timestamp before its L1 origin`)
    const drift = checkDrift({
      rollup,
      timestamp: element.timestamp,
      origin,
      txCount: element.transactions.length,
      advancesEpoch: originAdvanced,
      nextOrigin: l1Blocks[originIndex + 1],
    })
    if (drift) return drift
    const txs = checkTransactions(element.transactions)
    if (txs) return txs
  }

  // Blocks the span overlaps with the safe chain must match it exactly (txs without deposits, L1 origin).
  if (first.timestamp < nextTimestamp) {
    for (let i = 0n; i < safe.number - parent.number; i++) {
      const number = parent.number + i + 1n
      const block = await chain.blockByNumber(number)
      if (!block) return undecided(`L2 block ${number} unavailable`)
      const txs = block.transactions.filter((tx) => tx.raw[0] !== DEPOSIT_TX_TYPE).map((tx) => toHexLower(tx.raw))
      const batchTxs = elements[Number(i)]!.transactions
      if (txs.length !== batchTxs.length) return drop('overlapped block tx count does not match')
      for (let j = 0; j < txs.length; j++) {
        if (txs[j] !== batchTxs[j]!.toLowerCase()) return drop('overlapped block tx does not match')
      }
      if (l2BlockRefOf(rollup, block).l1Origin.number !== elements[Number(i)]!.epochNumber) {
        return drop('overlapped block L1 origin does not match')
      }
    }
  }
  return accept
}

/** op-node's sequencer drift rule, shared by singular and span batches. */
function checkDrift(args: {
  rollup: RollupConfig
  timestamp: bigint
  origin: L1BlockRef
  txCount: number
  advancesEpoch: boolean
  nextOrigin: L1BlockRef | undefined
}): BatchValidity | undefined {
  const { rollup, timestamp, origin } = args
  const max = origin.timestamp + maxSequencerDrift(rollup, origin.timestamp)
  if (timestamp <= max) return undefined
  // Past the drift only empty blocks may stay on the origin, and only while the next origin is still in the future.
  if (args.txCount > 0) return drop('exceeded sequencer time drift with transactions')
  if (args.advancesEpoch) return undefined
  if (!args.nextOrigin) return undecided('past the drift, next L1 origin unknown')
  if (timestamp >= args.nextOrigin.timestamp) return drop('exceeded sequencer drift without adopting the next origin')
  return undefined
}

function checkTransactions(txs: readonly Hex[]): BatchValidity | undefined {
  for (let i = 0; i < txs.length; i++) {
    const tx = txs[i]!
    if (tx.length <= 2) return drop(`empty transaction at index ${i}`)
    if (Number.parseInt(tx.slice(2, 4), 16) === DEPOSIT_TX_TYPE) return drop(`deposit transaction at index ${i}`)
  }
  return undefined
}

/** Span batch checks hold the first 20 bytes of a hash. */
function matchesCheck(check: Hex, hash: Hex): boolean {
  return check.toLowerCase() === hash.slice(0, 42).toLowerCase()
}

function toHexLower(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes).toString('hex')}`
}
