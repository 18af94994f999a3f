import { txManagerConfigFields } from '@opl/txmgr'
import { z } from 'zod'

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1')
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 20-byte hex address')
const int = (min: number) => z.coerce.number().int().min(min)

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
  l1Rpc: z.url(),
  l2Rpc: z.url(),
  optimismPortal: address,
  l2OutputOracle: address,
  ...txManagerConfigFields,
  relay: relayList,
  /** Where the state file lives (`relayer-state.json`). */
  dataDir: z.string().min(1),
  /** First blocks to scan when the state is new: the deployment's L1 block and the L2 genesis. */
  l1StartBlock: z.coerce.bigint().default(0n),
  l2StartBlock: z.coerce.bigint().default(0n),
  /** Largest eth_getLogs range per scan. */
  maxLogRange: z.coerce.bigint().min(1n).default(2_000n),
  /**
   * Prove/finalize txs in flight at once, and withdrawals read side by side per pass (op-batcher's `max-pending-tx`;
   * 1 = one tx at a time). Withdrawals that become provable together are then proven in one L1 block, not one each.
   */
  maxPendingTx: int(1).default(16),
  pollIntervalMs: int(10).default(2_000),
  apiEnabled: bool.default(true),
  apiHost: z.string().default('127.0.0.1'),
  apiPort: int(0).max(65_535).default(7310),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
})
export type RelayerConfig = z.output<typeof RelayerConfig>
export type RelayerConfigInput = z.input<typeof RelayerConfig>
