import { readFile } from 'node:fs/promises'
import { parseRollupConfig, type RollupConfig } from '@opl/protocol'
import { TxManager } from '@opl/txmgr'
import pino, { type Logger } from 'pino'
import { createPublicClient, type Hex, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { Batcher } from '../batcher.js'
import type { BatcherConfig } from '../config.js'
import { EigenDaProxyClient } from '../da/da-client.js'
import { RpcL2Source } from '../l2/rpc-l2-source.js'
import type { L2Source } from '../l2/types.js'
import { type OpsServer, startOpsServer } from './http.js'
import { createBatcherMetrics } from './metrics.js'
import type { Dependency } from './readiness.js'

export type BatcherService = {
  batcher: Batcher
  txmgr: TxManager
  ops: OpsServer | undefined
  stop(opts?: { drain?: boolean }): Promise<void>
}

/**
 * config → parts → running service. `l2` and `rollup` replace the node's RPC (tests use MemoryL2Source and a
 * rollup config in memory until the node's RPC exists).
 */
export async function createBatcherService(
  config: BatcherConfig,
  overrides: { l2?: L2Source; rollup?: RollupConfig; log?: Logger } = {},
): Promise<BatcherService> {
  const log = overrides.log ?? pino({ name: 'opl-batcher', level: config.logLevel })
  const l1 = createPublicClient({ transport: http(config.l1Rpc, { retryCount: 2 }) })
  const rpcSource = overrides.l2 ? undefined : new RpcL2Source({ l2Rpc: config.l2Rpc, rollupRpc: config.rollupRpc })
  const l2 = overrides.l2 ?? rpcSource!
  const rollup =
    overrides.rollup ??
    (config.rollupConfig
      ? parseRollupConfig(JSON.parse(await readFile(config.rollupConfig, 'utf8')))
      : await rpcSource!.rollupConfig())
  const metrics = createBatcherMetrics()
  const txmgr = new TxManager({
    l1,
    account: privateKeyToAccount(config.privateKey as Hex),
    chainId: await l1.getChainId(),
    log: log.child({ part: 'txmgr' }),
    numConfirmations: config.numConfirmations,
    resubmissionTimeoutMs: config.resubmissionTimeoutMs,
    pollIntervalMs: Math.min(config.pollIntervalMs, 1000),
    sendTimeoutMs: config.sendTimeoutMs,
    maxPending: config.maxPendingTx,
    feeBumpPercent: config.feeBumpPercent,
    minTipWei: config.minTipWei,
  })
  const da = config.daServer
    ? new EigenDaProxyClient({
        url: config.daServer,
        putTimeoutMs: config.daPutTimeoutMs,
        getTimeoutMs: config.daGetTimeoutMs,
      })
    : undefined
  const fjord = rollup.forkTimes.fjord !== undefined
  const batcher = new Batcher({
    l2,
    l1,
    txmgr,
    da,
    rollup,
    batchInbox: (config.batchInbox as Hex | undefined) ?? rollup.batchInboxAddress,
    channel: {
      batchType: config.batchType,
      compression: config.compressionAlgo,
      brotliQuality: config.brotliQuality,
      // One frame per calldata tx: the tx-data version byte takes one of the bytes (op-batcher `MaxFrameSize`).
      maxFrameSize: config.maxL1TxSizeBytes - 1,
      rollup,
      targetNumFrames: config.targetNumFrames,
      approxComprRatio: config.approxComprRatio,
      maxChannelDuration: BigInt(config.maxChannelDuration),
      subSafetyMargin: BigInt(config.subSafetyMargin),
      channelTimeout: BigInt(config.channelTimeout),
      maxRlpBytes: fjord ? 100_000_000 : 10_000_000,
    },
    pollIntervalMs: config.pollIntervalMs,
    maxPendingTx: config.maxPendingTx,
    maxBlocksPerStep: config.maxBlocksPerStep,
    log,
    metrics,
  })
  const dependencies: Dependency[] = [
    { name: 'l1', check: () => l1.getBlockNumber({ cacheTime: 0 }) },
    { name: 'rollup', check: () => l2.syncStatus() },
  ]
  if (rpcSource) {
    const l2Eth = createPublicClient({ transport: http(config.l2Rpc, { retryCount: 0 }) })
    dependencies.push({ name: 'l2', check: () => l2Eth.getChainId() })
  }
  if (da) dependencies.push({ name: 'da', check: () => da.health() })
  const ops = config.metricsEnabled
    ? await startOpsServer({
        host: config.metricsHost,
        port: config.metricsPort,
        batcher,
        metrics,
        staleAfterMs: config.pollIntervalMs * 3 + 30_000,
        dependencies,
      })
    : undefined
  log.info(
    {
      l1: config.l1Rpc,
      da: config.daServer || 'off (calldata)',
      inbox: rollup.batchInboxAddress,
      batcher: txmgr.address,
      batchType: config.batchType,
      compression: config.compressionAlgo,
      ops: ops?.url,
    },
    'batcher ready',
  )
  return {
    batcher,
    txmgr,
    ops,
    stop: async ({ drain = false } = {}) => {
      await batcher.stop({ drain })
      txmgr.close()
      await ops?.close()
    },
  }
}
