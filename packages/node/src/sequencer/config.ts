import { BLOB_BASE_FEE_UPDATE_FRACTION } from '@opl/protocol'
import { z } from 'zod'

/**
 * The sequencer's part of the node config (the node's schema embeds it). Defaults follow op-node's flags where it has
 * one (`--sequencer.enabled` false, `--sequencer.l1-confs` 4).
 */
export const SequencerConfig = z.object({
  /** start producing blocks at node start (op-node `--sequencer.enabled`); admin_startSequencer can do it later */
  enabled: z.boolean().default(false),
  /** L1 blocks an origin must be buried under before the sequencer adopts it (op-node `--sequencer.l1-confs`) */
  l1ConfDepth: z.coerce.bigint().nonnegative().default(4n),
  /**
   * EIP-4844 blob base fee update fraction of the L1 at the origin, for the L1-info tx: `prague` (EIP-7691, Ethereum
   * mainnet and Sepolia today, anvil's default) or `cancun`, or a number for a BPO schedule. Derivation must use the
   * same value, or its attributes would not match the sequencer's blocks.
   */
  l1BlobSchedule: z.union([z.enum(['cancun', 'prague']), z.coerce.bigint().positive()]).default('prague'),
  /** upper bound of pool txs tried per block (the gas limit usually stops earlier) */
  maxTxsPerBlock: z.number().int().positive().default(10_000),
  /** time budget for pulling pool txs into one block, ms; the block is sealed when it runs out */
  maxBuildMs: z.number().int().positive().default(1_000),
  /** wait before retrying after a temporary error (L1 unreachable) or a reset, ms */
  retryDelayMs: z.number().int().positive().default(1_000),
})
export type SequencerConfig = z.output<typeof SequencerConfig>
export type SequencerConfigInput = z.input<typeof SequencerConfig>

export function blobBaseFeeUpdateFraction(config: Pick<SequencerConfig, 'l1BlobSchedule'>): bigint {
  const schedule = config.l1BlobSchedule
  return typeof schedule === 'bigint' ? schedule : BLOB_BASE_FEE_UPDATE_FRACTION[schedule]
}
