import { z } from 'zod'
import { ENCODINGS } from '../tokenizer/create-tokenizer.js'

const hexAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'an address')
// The message must not echo the value: it is a secret.
const privateKey = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a 0x-prefixed 32-byte hex private key')

/** The service's configuration: flags (`--index-dir`) or env vars (`OPL_ATTRIBUTION_INDEX_DIR`), flags win. */
export const AttributionConfig = z.object({
  indexDir: z.string().min(1).default('.attribution'),
  host: z.string().default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65_535).default(8547),
  workers: z.coerce.number().int().min(1).max(64).default(2),
  encoding: z.enum(ENCODINGS).default('cl100k_base'),
  queryTimeoutMs: z.coerce.number().int().min(1).default(10_000),
  maxBodyBytes: z.coerce.number().int().min(1024).default(1_048_576),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** treasury paid the unattributed share when a request names no Datanets */
  defaultTreasury: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/)
    .default('0x0000000000000000000000000000000000000001'),
  /**
   * off chain: model ids (a charge's modelId) scored by influence when the request names no scorer;
   * comma-separated (`--influence-models 2,5`). On chain the registry's model kind decides
   */
  influenceModels: z
    .string()
    .regex(/^(\d{1,78}(,\d{1,78})*)?$/, 'comma-separated model ids')
    .default('')
    .transform((v) => new Set(v ? v.split(',') : [])),
  /**
   * devnet.json of a running devnet: chain mode against it with the devnet attestor (start-devnet-attribution.ts);
   * other flags and env vars override what it sets
   */
  devnet: z.string().min(1).optional(),
  // ---- chain mode (all optional: without --chain-rpc the service keeps epochs in memory)
  /** L2 JSON-RPC URL; turns on ingestion from DatanetRegistry, InferencePaid epochs and on-chain settlement */
  chainRpc: z.url({ protocol: /^https?$/ }).optional(),
  rewards: hexAddress.optional(),
  /** DatanetRegistry; read from the chain (rewards → models → datanets) when not given, and checked when given */
  registry: hexAddress.optional(),
  /** block the contracts were deployed at: scans start there */
  startBlock: z.coerce.bigint().min(0n).default(0n),
  confirmations: z.coerce.number().int().min(0).max(10_000).default(2),
  maxBlockRange: z.coerce.bigint().min(1n).max(1_000_000n).default(2_000n),
  pollIntervalMs: z.coerce.number().int().min(100).default(2_000),
  /** eigenda-proxy / dev DA server base URL for contributions stored by commitment */
  daUrl: z.url({ protocol: /^https?$/ }).optional(),
  maxContentBytes: z.coerce
    .number()
    .int()
    .min(1)
    .default(16 * 1024 * 1024),
  /** attestor private key (env OPL_ATTRIBUTION_ATTESTOR_KEY) or a file holding it; never logged */
  attestorKey: privateKey.optional(),
  attestorKeyFile: z.string().min(1).optional(),
  /** `direct`: the attestor sends settle; `signature`: it signs EIP-712 and the relayer sends settleWithSignature */
  settleMode: z.enum(['direct', 'signature']).default('direct'),
  relayerKey: privateKey.optional(),
  relayerKeyFile: z.string().min(1).optional(),
  settleGraceSeconds: z.coerce.number().int().min(0).default(60),
  /** cursor, pending inferences and settled epochs; default `<indexDir>/chain` */
  stateDir: z.string().min(1).optional(),
})
export type AttributionConfig = z.output<typeof AttributionConfig>

const camel = (s: string) => s.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

/** Reads `OPL_ATTRIBUTION_<NAME>` env vars and `--kebab-name value` flags into one object for the schema. */
export function readFlagsAndEnv(argv: readonly string[], env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env))
    if (k.startsWith('OPL_ATTRIBUTION_') && v !== undefined) out[camel(k.slice('OPL_ATTRIBUTION_'.length))] = v
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (!a.startsWith('--')) continue
    const [name, inline] = a.slice(2).split('=', 2)
    const key = camel(name!.replace(/-/g, '_'))
    out[key] = inline ?? argv[++i] ?? ''
  }
  return out
}
