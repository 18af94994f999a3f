import { Counter, Gauge, Registry } from 'prom-client'
import type { RelayerState } from './records.js'

/** The relayer's Prometheus metrics; the per-status gauges are filled from the store at scrape time. */
export function createRelayerMetrics(state: () => Readonly<RelayerState>) {
  const registry = new Registry()
  return {
    registry,
    proven: new Counter({
      name: 'opl_relayer_proven_total',
      help: 'withdrawals this relayer proved',
      registers: [registry],
    }),
    finalized: new Counter({
      name: 'opl_relayer_finalized_total',
      help: 'withdrawals this relayer finalized',
      registers: [registry],
    }),
    errors: new Counter({
      name: 'opl_relayer_errors_total',
      help: 'loop errors by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    withdrawals: new Gauge({
      name: 'opl_relayer_withdrawals',
      help: 'tracked withdrawals by status',
      labelNames: ['status'] as const,
      registers: [registry],
      collect() {
        this.reset()
        for (const w of Object.values(state().withdrawals)) this.inc({ status: w.status })
      },
    }),
    deposits: new Gauge({
      name: 'opl_relayer_deposits',
      help: 'tracked deposits by status',
      labelNames: ['status'] as const,
      registers: [registry],
      collect() {
        this.reset()
        for (const d of Object.values(state().deposits)) this.inc({ status: d.status })
      },
    }),
  }
}
export type RelayerMetrics = ReturnType<typeof createRelayerMetrics>
