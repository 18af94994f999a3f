import type { Logger } from 'pino'
import { severityOf } from './errors.js'
import type { L1Source } from './l1-source.js'
import { formatRef, type L1BlockRef, toBlockRef } from './types.js'

export type L1Status = { head?: L1BlockRef; safe?: L1BlockRef; finalized?: L1BlockRef }

/**
 * Polls the L1 head, safe and finalized blocks (op-node's L1 state tracker): the confirmation-depth view needs the
 * head, `optimism_syncStatus` reports all three. A failed poll keeps the last known values (temporary errors are
 * logged and retried at the next tick). `poll()` is public so tests and the sequencer can refresh on demand.
 */
export class L1Tracker {
  private current: L1Status = {}
  private timer: NodeJS.Timeout | undefined
  private inFlight: Promise<void> | undefined

  constructor(
    private readonly l1: L1Source,
    private readonly options: { intervalMs: number; log?: Logger | undefined },
  ) {}

  get status(): L1Status {
    return this.current
  }

  get head(): L1BlockRef | undefined {
    return this.current.head
  }

  /** Whether `start()` polls in the background. */
  get running(): boolean {
    return this.timer !== undefined
  }

  /** One round of `latest`, `safe`, `finalized`. Concurrent callers share the round in flight. */
  poll(): Promise<void> {
    this.inFlight ??= this.pollOnce().finally(() => {
      this.inFlight = undefined
    })
    return this.inFlight
  }

  start(): void {
    if (this.timer) return
    const tick = () => {
      this.poll()
        .catch(() => {})
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs)
        })
    }
    this.timer = setTimeout(tick, 0)
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  private async pollOnce(): Promise<void> {
    try {
      const [head, safe, finalized] = await Promise.all([
        this.l1.blockByTag('latest'),
        this.l1.blockByTag('safe'),
        this.l1.blockByTag('finalized'),
      ])
      const previous = this.current.head
      this.current = {
        head: head && toBlockRef(head),
        safe: safe && toBlockRef(safe),
        finalized: finalized && toBlockRef(finalized),
      }
      if (head && previous?.hash !== head.hash) {
        this.options.log?.debug(
          { event: 'l1_head', head: formatRef(head), safe: formatRef(safe), finalized: formatRef(finalized) },
          'new L1 head',
        )
      }
    } catch (error) {
      this.options.log?.warn(
        { event: 'l1_poll_failed', severity: severityOf(error), err: (error as Error).message },
        'L1 poll failed; keeping the last known L1 view',
      )
      throw error
    }
  }
}
