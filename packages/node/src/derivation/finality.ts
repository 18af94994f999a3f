import type { Logger } from 'pino'
import { L1ReorgError } from '../l1/errors.js'
import type { L1Source } from '../l1/l1-source.js'
import { formatRef, type L1BlockRef } from '../l1/types.js'
import type { L2BlockRef } from '../sequencer/l2-block-ref.js'

/** op-node keeps about one L1 epoch of finality data per 32 slots; a few hundred L1 blocks is plenty here. */
const MAX_ENTRIES = 1_024

type Entry = { l1: L1BlockRef; l2: L2BlockRef }

/**
 * op-node `Finalizer`: an L2 block is final once the L1 block it was derived from (the pipeline origin when it became
 * safe) is final. Keeps the last safe L2 block per L1 block and, on each L1 `finalized` update, picks the highest
 * entry whose L1 block is at or below it, after checking that L1 block is still canonical.
 */
export class Finalizer {
  private entries: Entry[] = []
  finalized: L2BlockRef

  constructor(
    finalized: L2BlockRef,
    private readonly l1: L1Source,
    private readonly log?: Logger,
  ) {
    this.finalized = finalized
  }

  /** Records that `l2` became safe while reading `l1`. */
  onSafe(l2: L2BlockRef, l1: L1BlockRef): void {
    const last = this.entries.at(-1)
    if (last && last.l1.hash === l1.hash) last.l2 = l2
    else this.entries.push({ l1, l2 })
    if (this.entries.length > MAX_ENTRIES) this.entries = this.entries.slice(-MAX_ENTRIES)
  }

  /** The L1 block `l2` (a safe block) was derived from, if recorded. */
  derivedFrom(l2: Pick<L2BlockRef, 'number'>): L1BlockRef | undefined {
    return this.entries.find((entry) => entry.l2.number >= l2.number)?.l1
  }

  /** Applies L1 finality; returns the new finalized L2 head when it moved. */
  async update(finalizedL1: L1BlockRef): Promise<L2BlockRef | undefined> {
    let candidate: Entry | undefined
    for (const entry of this.entries) {
      if (entry.l1.number <= finalizedL1.number && entry.l2.number > this.finalized.number) candidate = entry
    }
    if (!candidate) return undefined
    const canonical = await this.l1.blockByNumber(candidate.l1.number)
    if (canonical?.hash !== candidate.l1.hash) {
      throw new L1ReorgError('safe data was derived from an L1 block that is not canonical', {
        l1: formatRef(candidate.l1),
        canonical: formatRef(canonical),
      })
    }
    this.finalized = candidate.l2
    this.entries = this.entries.filter((entry) => entry.l2.number > candidate.l2.number)
    this.log?.info({ l2: formatRef(candidate.l2), l1: formatRef(candidate.l1) }, 'finalized')
    return candidate.l2
  }

  /** After a pipeline reset: forget data above the new safe head (it will be re-derived). */
  reset(safe: L2BlockRef): void {
    this.entries = this.entries.filter((entry) => entry.l2.number <= safe.number)
    if (this.finalized.number > safe.number) this.finalized = safe
  }
}
