import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { L1Tracker } from './l1/l1-tracker.js'

/** The node's Prometheus metrics, on a registry of its own so several nodes can live in one process (tests). */
export class NodeMetrics {
  readonly registry = new Registry()
  readonly heads = new Gauge({
    name: 'opl_node_head_number',
    help: 'block number of the head, safe and finalized labels',
    labelNames: ['label'],
    registers: [this.registry],
  })
  readonly poolSize = new Gauge({ name: 'opl_node_txpool_size', help: 'txs in the pool', registers: [this.registry] })
  readonly rpcDuration = new Histogram({
    name: 'opl_node_rpc_request_duration_seconds',
    help: 'JSON-RPC call duration by method',
    labelNames: ['method', 'ok'],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  })
  readonly blocks = new Counter({ name: 'opl_node_blocks_total', help: 'blocks committed', registers: [this.registry] })

  readonly sequencerCritical = new Counter({
    name: 'opl_node_sequencer_critical_errors_total',
    help: 'critical errors that stopped the sequencer (a human must look)',
    labelNames: ['error'],
    registers: [this.registry],
  })
  readonly derivationCritical = new Counter({
    name: 'opl_node_derivation_critical_errors_total',
    help: 'critical errors that stopped derivation (the safe head no longer moves)',
    labelNames: ['error'],
    registers: [this.registry],
  })
  readonly rewinds = new Counter({
    name: 'opl_node_chain_rewinds_total',
    help: 'unsafe blocks dropped because derivation found they disagree with L1 (reorgs of the L2 chain)',
    registers: [this.registry],
  })
  private l1Tracker: L1Tracker | undefined
  readonly l1Heads: Gauge<'label'>

  /** Reports the tracker's L1 view at each scrape. */
  watchL1(tracker: L1Tracker): void {
    this.l1Tracker = tracker
  }

  constructor() {
    const metrics = this
    this.l1Heads = new Gauge({
      name: 'opl_node_l1_head_number',
      help: 'L1 head, safe and finalized block numbers as last polled',
      labelNames: ['label'],
      registers: [this.registry],
      collect() {
        const status = metrics.l1Tracker?.status ?? {}
        for (const label of ['head', 'safe', 'finalized'] as const) {
          const ref = status[label]
          if (ref) this.set({ label }, Number(ref.number))
        }
      },
    })
    collectDefaultMetrics({ register: this.registry, prefix: 'opl_node_' })
  }
}
