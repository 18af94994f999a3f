import { addressField, intField as int, logConfigFields, serverConfigFields } from '@opl/service-kit'
import { txManagerConfigFields } from '@opl/txmgr'
import { z } from 'zod'

/**
 * The batcher's configuration: flags (`--l1-rpc`) or env vars (`OPL_BATCHER_L1_RPC`); flags win. Defaults follow
 * op-batcher except where a devnet wants otherwise (said per field).
 */
export const BatcherConfig = z.object({
  l1Rpc: z.url().describe('L1 JSON-RPC'),
  l2Rpc: z.url().describe('L2 eth JSON-RPC (the op-geth role: blocks)'),
  rollupRpc: z.url().describe('rollup node RPC (optimism_syncStatus, optimism_rollupConfig)'),
  rollupConfig: z.string().optional().describe('rollup.json; when absent it is read from optimism_rollupConfig'),
  ...txManagerConfigFields,
  privateKey: txManagerConfigFields.privateKey.describe('batcher key (the SystemConfig batcher; prefer the env var)'),
  daServer: z.string().default('').describe('eigenda-proxy / opl-da-server URL; empty = calldata only'),
  batchInbox: addressField.optional().describe("override rollup.json's batch_inbox_address"),
  // op-batcher's default is singular (batch-type 0); span batches (Delta) are smaller
  batchType: z.enum(['span', 'singular']).default('span').describe('batch type'),
  // op-batcher's default is zlib; brotli is valid since Fjord
  compressionAlgo: z.enum(['brotli', 'zlib']).default('brotli').describe('channel compression'),
  brotliQuality: int(0).max(11).default(10).describe('brotli level'),
  maxL1TxSizeBytes: int(1000).default(120_000).describe('largest calldata tx, bytes'),
  targetNumFrames: int(1).default(1).describe('frames per channel to aim for'),
  // op-batcher's ratio compressor default is 0.6. bench/batcher.ts measured 0.50 for span+brotli-10 on a realistic
  // block mix: 0.55 fills a frame to ~86 % without spilling into a second one (0.45 spilled: 55 % fill, +55 % txs)
  approxComprRatio: z.coerce
    .number()
    .gt(0)
    .max(1)
    .default(0.55)
    .describe('estimated compression ratio for cutting channels'),
  // op-batcher defaults to 0 (off), which on a quiet devnet keeps blocks unsafe for ~40 L1 blocks
  maxChannelDuration: int(0).default(10).describe('close a channel after this many L1 blocks, 0 = off'),
  subSafetyMargin: int(0).default(10).describe('close a channel this many L1 blocks before its timeout'),
  // 50 from Granite (all forks are active at genesis here)
  channelTimeout: int(1).default(50).describe("derivation's channel timeout, L1 blocks"),
  pollIntervalMs: int(10).default(1000).describe('loop interval, ms'),
  maxPendingTx: int(1).default(1).describe('batcher txs in flight'),
  maxBlocksPerStep: int(1).default(1000).describe('L2 blocks read per loop pass'),
  daPutTimeoutMs: int(0).default(60_000).describe('DA put timeout before failing over to calldata, ms'),
  daGetTimeoutMs: int(0).default(10_000).describe('DA get timeout, ms'),
  ...serverConfigFields('metrics', {
    server: 'ops server',
    serves: '/healthz, /readyz and /metrics',
    port: 7300,
    portNote: "op-batcher's metrics port",
  }),
  ...logConfigFields,
})
export type BatcherConfig = z.output<typeof BatcherConfig>
export type BatcherConfigInput = z.input<typeof BatcherConfig>

export const ENV_PREFIX = 'OPL_BATCHER_'
