import { addressField, boolField, intField as int, logConfigFields, serverConfigFields } from '@opl/service-kit'
import { txManagerConfigFields } from '@opl/txmgr'
import { z } from 'zod'

export const ENV_PREFIX = 'OPL_PROPOSER_'

/**
 * The proposer's configuration: flags (`--l1-rpc`) or env vars (`OPL_PROPOSER_L1_RPC`); flags win. Names and
 * defaults follow op-proposer where it has the setting.
 */
export const ProposerConfig = z.object({
  l1Rpc: z.url().describe('L1 JSON-RPC'),
  l2Rpc: z
    .url()
    .describe('L2 execution JSON-RPC (blocks, eth_getProof): every output is checked against it before it is posted'),
  rollupRpc: z.url().describe('rollup node RPC (optimism_syncStatus, optimism_outputAtBlock)'),
  l2OutputOracle: addressField.describe('L2OutputOracle proxy on L1'),
  allowNonFinalized: boolField
    .default(false)
    .describe('propose up to the safe head instead of the finalized one (op-proposer allow-non-finalized)'),
  // op-proposer's poll-interval is 6 s; a devnet with 1 s L1 blocks wants less
  pollIntervalMs: int(10).default(6_000).describe('loop interval, ms'),
  // op-proposer posts one output per confirmation; the devnet sets more so a fresh chain's backlog clears at once
  maxProposalsPerStep: int(1)
    .max(64)
    .default(1)
    .describe('when behind, post up to this many consecutive outputs at once (sequential nonces)'),
  ...txManagerConfigFields,
  ...serverConfigFields('metrics', {
    server: 'ops server',
    serves: '/healthz, /readyz and /metrics',
    port: 7302,
    portNote: "op-proposer's metrics port",
  }),
  ...logConfigFields,
})
export type ProposerConfig = z.output<typeof ProposerConfig>
export type ProposerConfigInput = z.input<typeof ProposerConfig>
