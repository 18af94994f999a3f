import { channelTimeout, type RollupConfig, type SystemConfig } from '@opl/protocol'
import type { L1Source } from '../l1/l1-source.js'
import { formatRef, type L1BlockRef, toBlockRef } from '../l1/types.js'
import { type L2BlockRef, l2BlockRefOf, systemConfigOf } from '../sequencer/l2-block-ref.js'
import { DerivationCriticalError, PipelineResetError } from './errors.js'
import type { DerivationChain } from './types.js'

/** Walks are bounded: a reset never looks further back than this many L2 blocks. */
const MAX_WALK = 1_000_000

export type ResetPoint = { safe: L2BlockRef; origin: L1BlockRef; systemConfig: SystemConfig }

/**
 * op-node `sync.FindL2Heads` + the pipeline's initial reset, for derivation:
 * 1. the safe head walks back until its L1 origin is canonical and the L1 block it was derived from (when known) is
 *    canonical too. When that block is unknown (after a restart) it walks back as op-node does: to the first block of
 *    an epoch at least a sequencing window older than the unsafe head's origin, or genesis;
 * 2. the pipeline starts a channel timeout of L1 blocks before the safe head's origin, so channels that were open
 *    when the safe head was derived are read again from their first frame; blocks derived there are already safe and
 *    the batch queue skips them.
 */
export async function findResetPoint(args: {
  rollup: RollupConfig
  l1: L1Source
  chain: DerivationChain
  safe: L2BlockRef
  derivedFrom: (l2: L2BlockRef) => L1BlockRef | undefined
}): Promise<ResetPoint> {
  const { rollup, l1, chain } = args
  const unsafe = await chain.head()
  let safe = await refAt(rollup, chain, args.safe.number <= unsafe.number ? args.safe.number : unsafe.number)
  for (let guard = 0; ; guard++) {
    if (guard > MAX_WALK) throw new DerivationCriticalError('safe head walk-back did not end', { safe: safe.number })
    if (safe.number <= rollup.genesis.l2.number) break
    if (await isCanonical(l1, safe.l1Origin)) {
      const from = args.derivedFrom(safe)
      if (
        from
          ? await isCanonical(l1, from)
          : safe.sequenceNumber === 0n && safe.l1Origin.number + rollup.seqWindowSize < unsafe.l1Origin.number
      )
        break
    }
    safe = await refAt(rollup, chain, safe.number - 1n)
  }

  let pipeline = safe
  let origin = await originOf(l1, pipeline)
  for (let guard = 0; guard < MAX_WALK; guard++) {
    const timeout = channelTimeout(rollup, origin.timestamp)
    const afterGenesis =
      pipeline.number > rollup.genesis.l2.number && pipeline.l1Origin.number > rollup.genesis.l1.number
    if (!afterGenesis || pipeline.l1Origin.number + timeout <= safe.l1Origin.number) break
    pipeline = await refAt(rollup, chain, pipeline.number - 1n)
    origin = await originOf(l1, pipeline)
  }
  const block = await chain.blockByNumber(pipeline.number)
  return { safe, origin, systemConfig: systemConfigOf(rollup, block!) }
}

async function refAt(rollup: RollupConfig, chain: DerivationChain, number: bigint): Promise<L2BlockRef> {
  const block = await chain.blockByNumber(number)
  if (!block) throw new PipelineResetError('L2 block missing while looking for the reset point', { number })
  return l2BlockRefOf(rollup, block)
}

async function isCanonical(l1: L1Source, id: { number: bigint; hash: string }): Promise<boolean> {
  const block = await l1.blockByNumber(id.number)
  return block?.hash === id.hash
}

async function originOf(l1: L1Source, l2: L2BlockRef): Promise<L1BlockRef> {
  const block = await l1.blockByHash(l2.l1Origin.hash)
  if (!block)
    throw new PipelineResetError('L1 origin of the reset point unknown to L1', { origin: formatRef(l2.l1Origin) })
  return toBlockRef(block)
}
