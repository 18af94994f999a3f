import { type OpsServer, startOpsServer } from '@opl/service-kit'
import { createTxManager, type TxManager } from '@opl/txmgr'
import pino from 'pino'
import { type Address, createPublicClient, http } from 'viem'
import { statusRoutes } from './api.js'
import type { RelayerConfig } from './config.js'
import { createRelayerMetrics } from './metrics.js'
import { Relayer } from './relayer.js'
import { JsonStore } from './store.js'

export type RelayerService = { relayer: Relayer; txmgr: TxManager; api: OpsServer | undefined; stop(): Promise<void> }

/** config → store → parts → a relayer ready to `start()`, with its API (status + /healthz + /metrics) listening. */
export async function createRelayerService(config: RelayerConfig): Promise<RelayerService> {
  const log = pino({ name: 'opl-relayer', level: config.logLevel })
  const l1 = createPublicClient({ transport: http(config.l1Rpc, { retryCount: 2 }) })
  const l2 = createPublicClient({ transport: http(config.l2Rpc, { retryCount: 2 }) })
  const store = await JsonStore.open(config.dataDir, () => ({
    version: 1,
    l1Cursor: config.l1StartBlock.toString(),
    l2Cursor: config.l2StartBlock.toString(),
    withdrawals: {},
    deposits: {},
  }))
  const metrics = createRelayerMetrics(() => store.state)
  const txmgr = await createTxManager(config, {
    l1,
    log: log.child({ part: 'txmgr' }),
    pollIntervalMs: Math.min(config.pollIntervalMs, 1000),
    maxPending: config.maxPendingTx,
  })
  const relayer = new Relayer({
    l1,
    l2,
    txmgr,
    store,
    portal: config.optimismPortal as Address,
    oracle: config.l2OutputOracle as Address,
    relay: config.relay,
    maxLogRange: config.maxLogRange,
    maxConcurrent: config.maxPendingTx,
    pollIntervalMs: config.pollIntervalMs,
    log,
    metrics,
  })
  const api = config.apiEnabled
    ? await startOpsServer({
        host: config.apiHost,
        port: config.apiPort,
        registry: metrics.registry,
        routes: statusRoutes(() => store.state),
        health: () => relayer.health(),
      })
    : undefined
  log.info({ portal: config.optimismPortal, relayer: txmgr.address, state: store.path, api: api?.url }, 'relayer ready')
  return {
    relayer,
    txmgr,
    api,
    stop: async () => {
      await relayer.stop()
      txmgr.close()
      await api?.close()
    },
  }
}
