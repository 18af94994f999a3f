import { readFlagsAndEnv as readServiceFlagsAndEnv } from '@opl/service-kit'
import { z } from 'zod'

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1')
const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 32-byte hex private key')
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 20-byte hex address')
const int = (min: number) => z.coerce.number().int().min(min)

/**
 * The batcher's configuration: flags (`--l1-rpc`) or env vars (`OPL_BATCHER_L1_RPC`); flags win. Defaults follow
 * op-batcher except where a devnet wants otherwise (said per field).
 */
export const BatcherConfig = z.object({
  l1Rpc: z.url(),
  /** op-geth's eth RPC (blocks). */
  l2Rpc: z.url(),
  /** op-node's rollup RPC (`optimism_syncStatus`, `optimism_rollupConfig`). */
  rollupRpc: z.url(),
  /** rollup.json; when absent it is read from the rollup RPC (`optimism_rollupConfig`). */
  rollupConfig: z.string().optional(),
  privateKey: hex32,
  /** eigenda-proxy (or our da-server) URL; empty = calldata only. */
  daServer: z.string().default(''),
  /** Override of rollup.json's batch_inbox_address. */
  batchInbox: address.optional(),
  /** Span batches (Delta) by default; op-batcher's default is singular (`batch-type` 0). */
  batchType: z.enum(['span', 'singular']).default('span'),
  /** brotli (Fjord) by default; op-batcher's default is zlib. */
  compressionAlgo: z.enum(['brotli', 'zlib']).default('brotli'),
  brotliQuality: int(0).max(11).default(10),
  maxL1TxSizeBytes: int(1000).default(120_000),
  targetNumFrames: int(1).default(1),
  /** op-batcher's ratio compressor default is 0.6. bench/batcher.ts measured 0.50 for span+brotli-10 on a realistic
   * block mix: 0.55 fills a frame to ~86 % without spilling into a second one (0.45 spilled: 55 % fill, +55 % txs). */
  approxComprRatio: z.coerce.number().gt(0).max(1).default(0.55),
  /** L1 blocks; op-batcher defaults to 0 (off), which on a quiet devnet keeps blocks unsafe for ~40 L1 blocks. */
  maxChannelDuration: int(0).default(10),
  subSafetyMargin: int(0).default(10),
  /** Derivation's channel timeout; 50 from Granite (all forks are active at genesis here). */
  channelTimeout: int(1).default(50),
  pollIntervalMs: int(10).default(1000),
  maxPendingTx: int(1).default(1),
  maxBlocksPerStep: int(1).default(1000),
  numConfirmations: int(1).default(1),
  resubmissionTimeoutMs: int(100).default(48_000),
  sendTimeoutMs: int(1000).default(600_000),
  feeBumpPercent: int(10).default(10),
  minTipWei: z.coerce.bigint().default(1_000_000n),
  daPutTimeoutMs: int(0).default(60_000),
  daGetTimeoutMs: int(0).default(10_000),
  metricsEnabled: bool.default(true),
  metricsHost: z.string().default('127.0.0.1'),
  /** op-batcher's metrics port. */
  metricsPort: int(0).max(65_535).default(7300),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
})
export type BatcherConfig = z.output<typeof BatcherConfig>
export type BatcherConfigInput = z.input<typeof BatcherConfig>

const ENV_PREFIX = 'OPL_BATCHER_'

/** Reads `OPL_BATCHER_<NAME>` env vars, then `--kebab-name value` / `--kebab-name=value` flags over them. */
export function readFlagsAndEnv(argv: readonly string[], env: NodeJS.ProcessEnv): Record<string, string> {
  return readServiceFlagsAndEnv(ENV_PREFIX, argv, env)
}
