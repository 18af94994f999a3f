import type { Health } from './ops-server.js'

/** What a loop reports for `/healthz`: when it last stepped and why the last step failed, if it did. */
export type LoopStats = { lastStepAt: number; lastError: string | undefined }

export type PollLoopOptions = {
  /** One pass; resolves true to run again at once (work is left), false to sleep `intervalMs`. */
  step: () => Promise<boolean>
  intervalMs: number
  /** Called with the error's name and the error after a failed pass; the loop keeps going. */
  onError: (kind: string, error: unknown) => void
}

/**
 * A service's main loop as op-proposer's and op-batcher's drivers run it: step, sleep a poll interval, repeat until
 * `stop()` (which wakes a sleeping loop and waits for the pass in progress). A failed pass is recorded, never fatal.
 */
export class PollLoop {
  readonly stats: LoopStats = { lastStepAt: 0, lastError: undefined }
  private running: Promise<void> | undefined
  private stopping = false
  private wake: (() => void) | undefined

  constructor(private readonly options: PollLoopOptions) {}

  start(): void {
    if (this.running) return
    this.stopping = false
    this.running = (async () => {
      while (!this.stopping) {
        let again = false
        try {
          again = await this.options.step()
          this.stats.lastError = undefined
        } catch (error) {
          const kind = error instanceof Error ? error.name : 'unknown'
          this.stats.lastError = `${kind}: ${error instanceof Error ? error.message : String(error)}`
          this.options.onError(kind, error)
        }
        this.stats.lastStepAt = Date.now()
        if (!again && !this.stopping) await this.sleep(this.options.intervalMs)
      }
    })()
  }

  async stop(): Promise<void> {
    this.stopping = true
    this.wake?.()
    await this.running
    this.running = undefined
  }

  /**
   * Healthy while the last pass succeeded and ended within three intervals plus 30 s (a pass may wait on an L1 tx);
   * `extra` (counters) is reported alongside.
   */
  health(extra: Record<string, unknown> = {}): Health {
    const { lastStepAt, lastError } = this.stats
    const fresh = lastStepAt > 0 && Date.now() - lastStepAt <= this.options.intervalMs * 3 + 30_000
    return { ok: fresh && lastError === undefined, lastStepAt, lastError: lastError ?? null, ...extra }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms)
      this.wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }
}
