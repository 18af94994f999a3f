import { addressField, intField, logConfigFields, portField } from '@opl/service-kit'
import { z } from 'zod'
import { ENCODINGS } from '../tokenizer/create-tokenizer.js'

// The message must not echo the value: it is a secret.
const privateKey = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a 0x-prefixed 32-byte hex private key')

export const ENV_PREFIX = 'OPL_ATTRIBUTION_'

/**
 * The service's configuration: flags (`--index-dir`) or env vars (`OPL_ATTRIBUTION_INDEX_DIR`), flags win. Its one
 * port serves the API and /healthz /readyz /metrics, hence `--host`/`--port` and no `--metrics-*` settings.
 */
export const AttributionConfig = z.object({
  indexDir: z.string().min(1).default('.attribution').describe('index directory'),
  host: z.string().default('127.0.0.1').describe('API bind address'),
  port: portField.default(8547).describe('API port (also /healthz, /readyz, /metrics)'),
  workers: intField(1).max(64).default(2).describe('worker threads'),
  encoding: z.enum(ENCODINGS).default('cl100k_base').describe('tokenizer'),
  queryTimeoutMs: intField(1).default(10_000).describe('per-task timeout, ms'),
  maxBodyBytes: intField(1024).default(1_048_576).describe('request body limit, bytes'),
  ...logConfigFields,
  defaultTreasury: addressField
    .default('0x0000000000000000000000000000000000000001')
    .describe('treasury paid the unattributed share when a request names no Datanets'),
  // on chain the registry's model kind decides
  influenceModels: z
    .string()
    .regex(/^(\d{1,78}(,\d{1,78})*)?$/, 'comma-separated model ids')
    .default('')
    .transform((v) => new Set(v ? v.split(',') : []))
    .describe('off chain: comma-separated model ids scored by influence when a request names no scorer'),
  // start-devnet-attribution.ts sets the chain-mode fields from it
  devnet: z
    .string()
    .min(1)
    .optional()
    .describe('run against a devnet: its devnet.json (other flags and env vars override what it sets)'),
  // ---- chain mode (all optional: without --chain-rpc the service keeps epochs in memory)
  chainRpc: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('L2 JSON-RPC: ingest from DatanetRegistry, InferencePaid epochs and settlement on chain'),
  rewards: addressField.optional().describe('AttributionRewards'),
  chainWaitMs: intField(0)
    .max(600_000)
    .default(30_000)
    .describe('at start, how long to wait for the L2 RPC to answer and AttributionRewards to have code, ms'),
  registry: addressField
    .optional()
    .describe('DatanetRegistry; read from the chain (rewards → models → datanets) when not given, checked when given'),
  startBlock: z.coerce.bigint().min(0n).default(0n).describe('deployment block to scan from'),
  confirmations: intField(0).max(10_000).default(2).describe('blocks behind the head read'),
  maxBlockRange: z.coerce.bigint().min(1n).max(1_000_000n).default(2_000n).describe('blocks per eth_getLogs'),
  pollIntervalMs: intField(100).default(2_000).describe('chain poll period, ms'),
  daUrl: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('eigenda-proxy / DA server for contributions stored by commitment'),
  maxContentBytes: intField(1)
    .default(16 * 1024 * 1024)
    .describe('largest contribution fetched from the DA server, bytes'),
  attestorKey: privateKey.optional().describe('attestor private key, never logged (prefer the env var or the file)'),
  attestorKeyFile: z.string().min(1).optional().describe('file holding the attestor key'),
  settleMode: z
    .enum(['direct', 'signature'])
    .default('direct')
    .describe('direct: the attestor sends settle; signature: it signs EIP-712, the relayer key sends it'),
  relayerKey: privateKey.optional().describe('sender of settleWithSignature (prefer the env var or the file)'),
  relayerKeyFile: z.string().min(1).optional().describe('file holding the relayer key'),
  settleGraceSeconds: intField(0).default(60).describe('wait after an epoch ends, s'),
  stateDir: z
    .string()
    .min(1)
    .optional()
    .describe('chain cursor, pending inferences and settled epochs (default <index-dir>/chain)'),
})
export type AttributionConfig = z.output<typeof AttributionConfig>
