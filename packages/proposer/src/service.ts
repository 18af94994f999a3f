import { type OpsServer, startOpsServer } from '@opl/service-kit'
import { createTxManager, type TxManager } from '@opl/txmgr'
import pino, { type Logger } from 'pino'
import { type Address, createPublicClient, http } from 'viem'
import type { ProposerConfig } from './config.js'
import { createProposerMetrics } from './metrics.js'
import { Proposer } from './proposer.js'
import { RollupRpcClient } from './rollup-rpc.js'

export type ProposerService = {
  proposer: Proposer
  txmgr: TxManager
  ops: OpsServer | undefined
  stop(): Promise<void>
}

/** config → parts → a proposer ready to `start()`, with its ops server listening. */
export async function createProposerService(
  config: ProposerConfig,
  overrides: { log?: Logger } = {},
): Promise<ProposerService> {
  const log = overrides.log ?? pino({ name: 'opl-proposer', level: config.logLevel })
  const l1 = createPublicClient({ transport: http(config.l1Rpc, { retryCount: 2 }) })
  const l2 = createPublicClient({ transport: http(config.l2Rpc, { retryCount: 2 }) })
  const metrics = createProposerMetrics()
  // Proposals go out in block order: each depends on the oracle state the previous one left (nonce order keeps it).
  const txmgr = await createTxManager(config, {
    l1,
    log: log.child({ part: 'txmgr' }),
    pollIntervalMs: Math.min(config.pollIntervalMs, 1000),
    maxPending: config.maxProposalsPerStep,
  })
  const proposer = new Proposer({
    l1,
    l2,
    rollup: new RollupRpcClient(config.rollupRpc),
    txmgr,
    oracle: config.l2OutputOracle as Address,
    allowNonFinalized: config.allowNonFinalized,
    maxProposalsPerStep: config.maxProposalsPerStep,
    pollIntervalMs: config.pollIntervalMs,
    log,
    metrics,
  })
  const ops = config.metricsEnabled
    ? await startOpsServer({
        host: config.metricsHost,
        port: config.metricsPort,
        registry: metrics.registry,
        health: () => proposer.health(),
      })
    : undefined
  log.info(
    { l1: config.l1Rpc, oracle: config.l2OutputOracle, proposer: txmgr.address, ops: ops?.url },
    'proposer ready',
  )
  return {
    proposer,
    txmgr,
    ops,
    stop: async () => {
      await proposer.stop()
      txmgr.close()
      await ops?.close()
    },
  }
}
