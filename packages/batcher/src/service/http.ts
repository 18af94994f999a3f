import { type OpsServer, startOpsServer as startServiceOps } from '@opl/service-kit'
import type { Batcher } from '../batcher.js'
import type { BatcherMetrics } from './metrics.js'
import { type Dependency, probeDependencies } from './readiness.js'

export type { OpsServer }

/**
 * `/healthz` (200 while the loop keeps stepping without error, 503 otherwise, JSON either way), `/readyz` (200 when
 * every dependency answers, 503 naming the one that does not) and `/metrics` (Prometheus text). `staleAfterMs`: how
 * old the last good step may be.
 */
export async function startOpsServer(opts: {
  host: string
  port: number
  batcher: Batcher
  metrics: BatcherMetrics
  staleAfterMs: number
  dependencies: readonly Dependency[]
  readyTimeoutMs?: number
}): Promise<OpsServer> {
  return startServiceOps({
    host: opts.host,
    port: opts.port,
    registry: opts.metrics.registry,
    ready: () => probeDependencies(opts.dependencies, opts.readyTimeoutMs ?? 2_000),
    health: () => {
      const { stats } = opts.batcher
      const fresh = stats.lastStepAt > 0 && Date.now() - stats.lastStepAt <= opts.staleAfterMs
      return {
        ok: fresh && stats.lastError === undefined,
        lastStepAt: stats.lastStepAt,
        lastError: stats.lastError ?? null,
        submissions: stats.submissions,
        failedPuts: stats.failedPuts,
      }
    },
  })
}
