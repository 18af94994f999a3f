import { maxSequencerDrift, type RollupConfig } from '@opl/protocol'
import type { Logger } from 'pino'
import { L1ReorgError, TemporaryError } from '../l1/errors.js'
import type { L1Source } from '../l1/l1-source.js'
import { formatRef, type L1BlockInfo } from '../l1/types.js'
import type { L2BlockRef } from './l2-block-ref.js'

/** Past the drift the next origin is required, and L1 does not have it (yet, or within confirmation depth). */
export class NextOriginUnavailableError extends TemporaryError {
  override name = 'NextOriginUnavailableError'
}

/**
 * Chooses the L1 origin of the next L2 block (op-node `sequencing/origin_selector.go`):
 * - move to origin+1 as soon as the next L2 time reaches its timestamp (always adopt the newest allowed origin);
 * - otherwise stay on the current origin while `nextL2Time - origin.timestamp <= maxSequencerDrift(origin.timestamp)`;
 * - past the drift, origin+1 must be known: adopt it if its time allows, else stay (the block is then deposit-only —
 *   the caller decides that from the returned origin's time, as op-node's sequencer does).
 *
 * `l1` should hide unconfirmed blocks (`ConfDepthL1Source`): lookups by number are how origin+1 is discovered.
 * Like op-node it caches the current and next origin and keys the cache on the L2 head's origin.
 *
 * One deliberate addition: op-node silently ignores an origin+1 whose parent is not the current origin and leaves the
 * reset to its derivation pipeline. This node's sequencer runs without derivation driving it, so it checks whether
 * the current origin is still canonical and throws `L1ReorgError` (a reset) if it is not.
 */
export class OriginSelector {
  private current: L1BlockInfo | undefined
  private next: L1BlockInfo | undefined

  constructor(
    private readonly config: Pick<RollupConfig, 'blockTime' | 'maxSequencerDrift' | 'forkTimes'>,
    private readonly l1: L1Source,
    private readonly log?: Logger,
  ) {}

  async findL1Origin(head: L2BlockRef): Promise<L1BlockInfo> {
    const current = await this.currentOrigin(head)
    const nextL2Time = head.timestamp + this.config.blockTime
    // Best effort, as op-node's prefetch after each head update: a failure only means we stay on the current origin.
    let next = this.next ?? (await this.tryFetchNext(current))
    if (next && nextL2Time >= next.timestamp) return next

    const drift = maxSequencerDrift(this.config, current.timestamp)
    if (nextL2Time - current.timestamp <= drift) return current

    this.log?.warn(
      { event: 'sequencer_drift', origin: formatRef(current), originTime: current.timestamp, nextL2Time, drift },
      'next L2 block time is past the sequencer drift: the next L1 origin is required',
    )
    next ??= await this.fetchNext(current)
    if (!next) {
      throw new NextOriginUnavailableError('past the sequencer drift and the next L1 origin is not available', {
        origin: current.number,
        nextL2Time,
      })
    }
    // origin+1 is later than the next L2 block: stay, deposit-only (the time invariant forbids an origin in the future).
    return nextL2Time < next.timestamp ? current : next
  }

  /** Forgets the cached origins (after a reset). */
  reset(): void {
    this.current = undefined
    this.next = undefined
  }

  private async currentOrigin(head: L2BlockRef): Promise<L1BlockInfo> {
    if (this.current?.hash === head.l1Origin.hash) return this.current
    if (this.next?.hash === head.l1Origin.hash) {
      this.current = this.next
      this.next = undefined
      return this.current
    }
    // First block after a restart or reset: fetch by hash (the head's L1-info tx names it).
    const origin = await this.l1.blockByHash(head.l1Origin.hash)
    if (!origin) {
      throw new L1ReorgError('the L1 origin of the L2 head is unknown to L1', {
        origin: head.l1Origin.number,
        hash: head.l1Origin.hash,
      })
    }
    this.current = origin
    this.next = undefined
    return origin
  }

  private async tryFetchNext(current: L1BlockInfo): Promise<L1BlockInfo | undefined> {
    try {
      return await this.fetchNext(current)
    } catch (error) {
      if (!(error instanceof TemporaryError)) throw error
      this.log?.debug({ event: 'next_origin_unavailable', err: error.message }, 'next L1 origin not fetched')
      return undefined
    }
  }

  /** origin+1 by number; cached only if it is the child of the current origin. */
  private async fetchNext(current: L1BlockInfo): Promise<L1BlockInfo | undefined> {
    const candidate = await this.l1.blockByNumber(current.number + 1n)
    if (!candidate) return undefined
    if (candidate.parentHash === current.hash) {
      if (this.current?.hash === current.hash) this.next = candidate
      return candidate
    }
    const canonical = await this.l1.blockByNumber(current.number)
    if (canonical && canonical.hash !== current.hash) {
      throw new L1ReorgError('the L1 origin of the L2 head was reorged out', {
        origin: current.number,
        hash: current.hash,
        canonical: canonical.hash,
      })
    }
    // A race between the two lookups: L1 moved; try again on the next block.
    return undefined
  }
}
