import { Counter, Gauge, Histogram, Registry } from 'prom-client'

/** The batcher's Prometheus metrics, on a registry of its own (several batchers can live in one test process). */
export function createBatcherMetrics() {
  const registry = new Registry()
  const m = {
    registry,
    bytesPosted: new Counter({
      name: 'opl_batcher_l1_bytes_posted_total',
      help: 'calldata bytes sent to the batch inbox',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    daBytesPosted: new Counter({
      name: 'opl_batcher_da_bytes_posted_total',
      help: 'batcher payload bytes stored on the DA server',
      registers: [registry],
    }),
    submissions: new Counter({
      name: 'opl_batcher_submissions_total',
      help: 'confirmed batcher txs by kind (da, calldata, failover)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    failovers: new Counter({
      name: 'opl_batcher_da_failovers_total',
      help: 'DA puts that failed with 503/timeout and went to calldata',
      registers: [registry],
    }),
    daPutErrors: new Counter({
      name: 'opl_batcher_da_put_errors_total',
      help: 'DA puts that failed without failover (retried)',
      registers: [registry],
    }),
    daPutLatency: new Histogram({
      name: 'opl_batcher_da_put_seconds',
      help: 'DA put latency',
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    compressionRatio: new Gauge({
      name: 'opl_batcher_compression_ratio',
      help: 'compressed/raw bytes of the last closed channel',
      registers: [registry],
    }),
    channelsClosed: new Counter({
      name: 'opl_batcher_channels_closed_total',
      help: 'channels closed',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    channelsTimedOut: new Counter({
      name: 'opl_batcher_channels_timed_out_total',
      help: 'channels re-sent after the channel timeout',
      registers: [registry],
    }),
    l1GasUsed: new Counter({
      name: 'opl_batcher_l1_gas_used_total',
      help: 'L1 gas of confirmed batcher txs',
      registers: [registry],
    }),
    l2TxsPosted: new Counter({
      name: 'opl_batcher_l2_txs_posted_total',
      help: 'L2 txs in fully confirmed channels',
      registers: [registry],
    }),
    l1GasPerL2Tx: new Gauge({
      name: 'opl_batcher_l1_gas_per_l2_tx',
      help: 'L1 gas used per L2 tx posted, cumulative',
      registers: [registry],
    }),
    l2BlocksLoaded: new Counter({
      name: 'opl_batcher_l2_blocks_loaded_total',
      help: 'L2 blocks read from the node',
      registers: [registry],
    }),
    pendingTxs: new Gauge({ name: 'opl_batcher_pending_txs', help: 'batcher txs in flight', registers: [registry] }),
    // Names after op-batcher's (op_batcher_default_<name>) so its dashboards translate one to one.
    channelInputBytes: new Counter({
      name: 'opl_batcher_channel_input_bytes_total',
      help: 'RLP bytes of the batches in closed channels (before compression)',
      registers: [registry],
    }),
    channelOutputBytes: new Counter({
      name: 'opl_batcher_channel_output_bytes_total',
      help: 'compressed bytes of closed channels',
      registers: [registry],
    }),
    channelNumFrames: new Gauge({
      name: 'opl_batcher_channel_num_frames',
      help: 'frames of the last closed channel',
      registers: [registry],
    }),
    pendingBlocks: new Gauge({
      name: 'opl_batcher_pending_blocks_count',
      help: 'L2 blocks loaded but not yet in a closed channel',
      registers: [registry],
    }),
    batcherTxEvents: new Counter({
      name: 'opl_batcher_batcher_tx_evt_total',
      help: 'batcher txs by stage (submitted, success, failed)',
      labelNames: ['stage'] as const,
      registers: [registry],
    }),
    refs: new Gauge({
      name: 'opl_batcher_refs_number',
      help: 'block numbers the batcher last saw (layer l1/l2, type head/safe/unsafe)',
      labelNames: ['layer', 'type'] as const,
      registers: [registry],
    }),
    nonceGapFills: new Gauge({
      name: 'opl_batcher_txmgr_nonce_gap_fills',
      help: 'nonces of given-up txs filled with a 0-value self-send since start',
      registers: [registry],
    }),
  }
  return m
}

export type BatcherMetrics = ReturnType<typeof createBatcherMetrics>
