import { z } from 'zod'

const port = z.coerce.number().int().min(0).max(65_535)
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')])

/** The node's configuration: every field is a flag `--kebab-name` and an env var `OPL_NODE_<SNAKE_NAME>`. */
export const NodeConfig = z.object({
  /** LevelDB directory (blocks, receipts, indexes, trie nodes) */
  dataDir: z.string().min(1),
  /** geth-format genesis.json */
  genesis: z.string().min(1),
  /** op-node rollup.json (optimism_rollupConfig; required to sequence) */
  rollupConfig: z.string().min(1).optional(),
  /** L1 JSON-RPC (deposits, L1 origins, SystemConfig updates); required to sequence */
  l1Rpc: z.url().optional(),
  /**
   * `sequencer`: build blocks (and derive the safe head from L1); `verifier`: no sequencer and no tx pool, every block
   * is derived from L1 + DA (needs --l1-rpc, --rollup-config, --da-server when alt_da). Unset: `sequencer` when --l1-rpc
   * is given, else a node that only serves its store
   */
  mode: z.enum(['sequencer', 'verifier']).optional(),
  /**
   * produce blocks from the start (op-node `--sequencer.enabled`); `false` keeps a sequencer node stopped until
   * admin_startSequencer. Unset means "in sequencer mode"
   */
  sequencerEnabled: bool.optional(),
  /** verifier: forward eth_sendRawTransaction to this sequencer JSON-RPC (op-geth `--rollup.sequencerhttp`) */
  sequencerHttp: z.url().optional(),
  /** L1 blocks an origin must be buried under before it is adopted (op-node `--sequencer.l1-confs`) */
  sequencerL1Confs: z.coerce.bigint().nonnegative().default(4n),
  /** time budget for pulling pool txs into one block, ms */
  sequencerMaxBuildMs: z.coerce.number().int().positive().default(1_000),
  /** blob base fee update fraction of the L1: `prague` (anvil, mainnet today), `cancun`, or a number */
  l1BlobSchedule: z.union([z.enum(['cancun', 'prague']), z.coerce.bigint().positive()]).default('prague'),
  /**
   * derive the safe and finalized heads from the batches on L1 (consolidating the sequencer's blocks, replacing them
   * where they disagree with L1). Unset means "when sequencing"; a verifier always derives
   */
  derivationEnabled: bool.optional(),
  /** eigenda-proxy / opl-da-server URL, to read alt-DA batches (required when rollup.json has alt_da) */
  daServer: z.url().optional(),
  /** how often the L1 head/safe/finalized are polled, ms (op-node polls every 12 s; a devnet L1 is faster) */
  l1PollIntervalMs: z.coerce.number().int().positive().default(1_000),
  httpHost: z.string().default('127.0.0.1'),
  httpPort: port.default(8545),
  corsOrigin: z.string().default('*'),
  /** max JSON-RPC body / WebSocket message, bytes (geth: 5 MiB) */
  maxBodyBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024),
  /** max requests in one batch (geth: 1000) */
  batchLimit: z.coerce.number().int().positive().default(1000),
  logsBlockRange: z.coerce.bigint().positive().default(10_000n),
  logsMaxResults: z.coerce.number().int().positive().default(10_000),
  rpcGasCap: z.coerce.bigint().positive().default(50_000_000n),
  /** fsync each block (durable across power loss, not only process crashes) */
  syncWrites: bool.default(true),
  txpoolAccountSlots: z.coerce.number().int().positive().default(80),
  txpoolGlobalSlots: z.coerce.number().int().positive().default(6144),
  txpoolPriceBump: z.coerce.bigint().nonnegative().default(10n),
  txpoolMinTip: z.coerce.bigint().nonnegative().default(0n),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
})
export type NodeConfig = z.infer<typeof NodeConfig>
export type NodeConfigInput = z.input<typeof NodeConfig>

export const ENV_PREFIX = 'OPL_NODE_'

export function envName(key: string): string {
  return ENV_PREFIX + key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()
}

/** Config values from the environment (flags override them); unknown OPL_NODE_* names are returned as typos. */
export function configFromEnv(env: NodeJS.ProcessEnv): { values: Record<string, string>; unknown: string[] } {
  const keys = Object.keys(NodeConfig.shape)
  const byEnv = new Map(keys.map((key) => [envName(key), key]))
  const values: Record<string, string> = {}
  const unknown: string[] = []
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined) continue
    const key = byEnv.get(name)
    if (key) values[key] = value
    else unknown.push(name)
  }
  return { values, unknown }
}
