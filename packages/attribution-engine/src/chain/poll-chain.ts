import type { Logger } from 'pino'
import type { IngestReport } from '../ingest/ingest-contributions.js'
import type { EpochSettlement } from '../settlement/settler.js'

export type StepOutcome<T> = { ok: true; value: T } | { ok: false; error: Error }

export type ChainPollReport = { ingest: StepOutcome<IngestReport>; settle: StepOutcome<EpochSettlement[]> }

/**
 * One chain poll: ingest new approvals from DatanetRegistry, then settle the epochs that are ready. The two steps
 * fail separately — a content host or registry scan that keeps failing must not hold back settlements, and a
 * settlement that keeps reverting must not stop new contributions from becoming searchable. Each failure is logged
 * and reported; the poll itself never throws, so the loop calling it goes on.
 */
export async function pollChainOnce(args: {
  ingest: () => Promise<IngestReport>
  settle: () => Promise<EpochSettlement[]>
  log: Logger
}): Promise<ChainPollReport> {
  const { log } = args
  const ingest = await outcome(args.ingest)
  if (!ingest.ok) log.error({ err: ingest.error }, 'ingest from DatanetRegistry failed')
  else if (ingest.value.accepted.length > 0 || ingest.value.rejected.length > 0)
    log.info(
      { accepted: ingest.value.accepted.length, rejected: ingest.value.rejected },
      'ingested from DatanetRegistry',
    )
  const settle = await outcome(args.settle)
  if (!settle.ok) log.error({ err: settle.error }, 'settlement failed')
  else for (const s of settle.value) log.info({ epoch: s.epoch, total: s.totalClaims }, 'epoch settled')
  return { ingest, settle }
}

async function outcome<T>(step: () => Promise<T>): Promise<StepOutcome<T>> {
  try {
    return { ok: true, value: await step() }
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err : new Error(String(err)) }
  }
}
