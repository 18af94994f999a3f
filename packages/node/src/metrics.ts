import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

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

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'opl_node_' })
  }
}
