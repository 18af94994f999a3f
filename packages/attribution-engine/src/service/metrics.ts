import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { AttributionEngine } from '../engine/attribution-engine.js'

export type Metrics = ReturnType<typeof createMetrics>

/** Prometheus metrics of the service; pool and index figures are read at scrape time. */
export function createMetrics(engine: AttributionEngine) {
  const registry = new Registry()
  const queryDuration = new Histogram({
    name: 'opl_attribution_query_seconds',
    help: 'attribution latency per inference',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  })
  const requests = new Counter({
    name: 'opl_attribution_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'],
    registers: [registry],
  })
  new Gauge({
    name: 'opl_attribution_index_tokens',
    help: 'tokens in the current index version',
    registers: [registry],
    collect() {
      this.set(engine.summary.tokens)
    },
  })
  new Gauge({
    name: 'opl_attribution_index_shards',
    help: 'shards in the current index version',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const s = engine.summary
      this.set({ kind: 'delta' }, s.deltas)
      this.set({ kind: 'base' }, s.shards - s.deltas)
    },
  })
  new Gauge({
    name: 'opl_attribution_pool',
    help: 'worker pool counters',
    labelNames: ['stat'],
    registers: [registry],
    collect() {
      for (const [k, v] of Object.entries(engine.workerPool.stats)) this.set({ stat: k }, v)
    },
  })
  return { registry, queryDuration, requests }
}
