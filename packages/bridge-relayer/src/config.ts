import { addressField, intField as int, logConfigFields, serverConfigFields } from '@opl/service-kit'
import { txManagerConfigFields } from '@opl/txmgr'
import { z } from 'zod'

export const ENV_PREFIX = 'OPL_RELAYER_'

/** `all`, or a comma-separated list of L2 senders whose withdrawals this relayer proves and finalizes. */
const relayList = z
  .string()
  .default('all')
  .transform((v, ctx) => {
    if (v.trim() === 'all') return 'all' as const
    const list = v.split(',').map((a) => a.trim())
    for (const a of list)
      if (!/^0x[0-9a-fA-F]{40}$/.test(a)) ctx.addIssue({ code: 'custom', message: `${a}: not an address` })
    return list as `0x${string}`[]
  })

/** The relayer's configuration: flags (`--l1-rpc`) or env vars (`OPL_RELAYER_L1_RPC`); flags win. */
export const RelayerConfig = z.object({
  l1Rpc: z.url().describe('L1 JSON-RPC'),
  l2Rpc: z.url().describe('L2 JSON-RPC (logs, eth_getProof)'),
  optimismPortal: addressField.describe('OptimismPortal proxy on L1'),
  l2OutputOracle: addressField.describe('L2OutputOracle proxy on L1'),
  ...txManagerConfigFields,
  privateKey: txManagerConfigFields.privateKey.describe(
    'key that pays for prove and finalize txs (prefer the env var)',
  ),
  relay: relayList.describe('whose withdrawals to prove and finalize: all, or comma-separated L2 senders'),
  dataDir: z.string().min(1).describe('where relayer-state.json lives'),
  // the deployment's L1 block and the L2 genesis: nothing of this chain is older
  l1StartBlock: z.coerce.bigint().default(0n).describe('first L1 block to scan on a new state'),
  l2StartBlock: z.coerce.bigint().default(0n).describe('first L2 block to scan on a new state'),
  maxLogRange: z.coerce.bigint().min(1n).default(2_000n).describe('blocks per eth_getLogs'),
  // op-batcher's `max-pending-tx`: withdrawals that become provable together are proven in one L1 block, not one each
  maxPendingTx: int(1)
    .default(16)
    .describe('prove/finalize txs in flight (and withdrawals read side by side) per pass; 1 = one at a time'),
  pollIntervalMs: int(10).default(2_000).describe('loop interval, ms'),
  // one server carries the status API and the ops routes, so its settings keep the `api` names they were given
  ...serverConfigFields('api', {
    server: 'API server',
    serves: 'the status API, /healthz, /readyz and /metrics',
    port: 7310,
    portNote: 'GET /v1/… and the ops routes',
  }),
  ...logConfigFields,
})
export type RelayerConfig = z.output<typeof RelayerConfig>
export type RelayerConfigInput = z.input<typeof RelayerConfig>
