import { boolField as bool, logConfigFields, portField as port } from '@opl/service-kit'
import { z } from 'zod'

/**
 * The node's configuration: every field is a flag `--kebab-name` and an env var `OPL_NODE_<SNAKE_NAME>`. Its one
 * port serves JSON-RPC and /healthz /readyz /metrics (op-geth's `--http.addr`/`--http.port` role), hence
 * `--http-host`/`--http-port` and no `--metrics-*` settings.
 */
export const NodeConfig = z.object({
  dataDir: z.string().min(1).describe('LevelDB directory (blocks, receipts, indexes, trie nodes)'),
  genesis: z.string().min(1).describe('geth-format genesis.json'),
  rollupConfig: z
    .string()
    .min(1)
    .optional()
    .describe('op-node rollup.json (optimism_rollupConfig; required to sequence)'),
  l1Rpc: z.url().optional().describe('L1 JSON-RPC (deposits, L1 origins, SystemConfig updates); required to sequence'),
  mode: z
    .enum(['sequencer', 'verifier'])
    .optional()
    .describe(
      '`sequencer`: build blocks (and derive the safe head from L1); `verifier`: no sequencer and no tx pool, every ' +
        'block is derived from L1 + DA (needs --l1-rpc, --rollup-config, --da-server when alt_da). Unset: ' +
        '`sequencer` when --l1-rpc is given, else a node that only serves its store',
    ),
  sequencerEnabled: bool
    .optional()
    .describe(
      'produce blocks from the start (op-node --sequencer.enabled); false keeps a sequencer node stopped until ' +
        'admin_startSequencer. Unset means "in sequencer mode"',
    ),
  sequencerHttp: z
    .url()
    .optional()
    .describe('verifier: forward eth_sendRawTransaction to this sequencer JSON-RPC (op-geth --rollup.sequencerhttp)'),
  sequencerL1Confs: z.coerce
    .bigint()
    .nonnegative()
    .default(4n)
    .describe('L1 blocks an origin must be buried under before it is adopted (op-node --sequencer.l1-confs)'),
  sequencerMaxBuildMs: z.coerce
    .number()
    .int()
    .positive()
    .default(1_000)
    .describe('time budget for pulling pool txs into one block, ms'),
  l1BlobSchedule: z
    .union([z.enum(['cancun', 'prague']), z.coerce.bigint().positive()])
    .default('prague')
    .describe('blob base fee update fraction of the L1: prague (anvil, mainnet today), cancun, or a number'),
  derivationEnabled: bool
    .optional()
    .describe(
      'derive the safe and finalized heads from the batches on L1 (consolidating the sequencer blocks, replacing ' +
        'them where they disagree with L1). Unset means "when sequencing"; a verifier always derives',
    ),
  daServer: z
    .url()
    .optional()
    .describe('eigenda-proxy / opl-da-server URL, to read alt-DA batches (required when rollup.json has alt_da)'),
  l1PollIntervalMs: z.coerce
    .number()
    .int()
    .positive()
    .default(1_000)
    .describe('how often the L1 head/safe/finalized are polled, ms (op-node polls every 12 s; a devnet L1 is faster)'),
  httpHost: z
    .string()
    .default('127.0.0.1')
    .describe('JSON-RPC (HTTP + WebSocket) and /healthz /readyz /metrics bind address'),
  httpPort: port.default(8545).describe('JSON-RPC (HTTP + WebSocket) and ops port'),
  corsOrigin: z.string().default('*').describe('Access-Control-Allow-Origin for browser dApps'),
  maxBodyBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024)
    .describe('max JSON-RPC body / WebSocket message, bytes (geth: 5 MiB)'),
  batchLimit: z.coerce.number().int().positive().default(1000).describe('max requests in one batch (geth: 1000)'),
  logsBlockRange: z.coerce.bigint().positive().default(10_000n).describe('max block range of one eth_getLogs'),
  logsMaxResults: z.coerce.number().int().positive().default(10_000).describe('max logs one eth_getLogs returns'),
  rpcGasCap: z.coerce
    .bigint()
    .positive()
    .default(50_000_000n)
    .describe('gas cap of eth_call / eth_estimateGas (geth --rpc.gascap)'),
  syncWrites: bool.default(true).describe('fsync each block (durable across power loss, not only process crashes)'),
  txpoolAccountSlots: z.coerce
    .number()
    .int()
    .positive()
    .default(80)
    .describe('max txs per sender, pending + queued (geth: accountslots 16 + accountqueue 64)'),
  txpoolGlobalSlots: z.coerce
    .number()
    .int()
    .positive()
    .default(6144)
    .describe('max txs in the pool (geth: globalslots 5120 + globalqueue 1024)'),
  txpoolPriceBump: z.coerce
    .bigint()
    .nonnegative()
    .default(10n)
    .describe('replacement fee bump, percent (geth --txpool.pricebump)'),
  txpoolMinTip: z.coerce.bigint().nonnegative().default(0n).describe('minimum priority fee a tx must pay, wei'),
  ...logConfigFields,
})
export type NodeConfig = z.infer<typeof NodeConfig>
export type NodeConfigInput = z.input<typeof NodeConfig>

export const ENV_PREFIX = 'OPL_NODE_'
