import { txManagerConfigFields } from '@opl/txmgr'
import { z } from 'zod'

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1')
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 20-byte hex address')
const int = (min: number) => z.coerce.number().int().min(min)

export const ENV_PREFIX = 'OPL_PROPOSER_'

/**
 * The proposer's configuration: flags (`--l1-rpc`) or env vars (`OPL_PROPOSER_L1_RPC`); flags win. Names and
 * defaults follow op-proposer where it has the setting.
 */
export const ProposerConfig = z.object({
  l1Rpc: z.url(),
  /** The L2 execution client (`eth_getBlockByNumber`, `eth_getProof`): checks every output before it is posted. */
  l2Rpc: z.url(),
  /** The rollup node (`optimism_syncStatus`, `optimism_outputAtBlock`). */
  rollupRpc: z.url(),
  l2OutputOracle: address,
  /** Propose up to the safe head instead of the finalized one (op-proposer `allow-non-finalized`); the devnet sets it. */
  allowNonFinalized: bool.default(false),
  /** op-proposer's `poll-interval` is 6 s; a devnet with 1 s L1 blocks wants less. */
  pollIntervalMs: int(10).default(6_000),
  /**
   * When behind by several outputs, post up to this many consecutive ones at once (sequential nonces, one L1 block)
   * instead of one per confirmation as op-proposer does; the devnet sets it so a fresh chain's backlog clears in a
   * block or two.
   */
  maxProposalsPerStep: int(1).max(64).default(1),
  ...txManagerConfigFields,
  metricsEnabled: bool.default(true),
  metricsHost: z.string().default('127.0.0.1'),
  /** op-proposer's metrics port. */
  metricsPort: int(0).max(65_535).default(7302),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
})
export type ProposerConfig = z.output<typeof ProposerConfig>
export type ProposerConfigInput = z.input<typeof ProposerConfig>
