import type { Logger } from 'pino'
import type { Hex, PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { z } from 'zod'
import { TxManager } from './tx-manager.js'

const int = (min: number) => z.coerce.number().int().min(min)

/**
 * The tx manager's settings as zod fields, spread into a service's own config schema so every service names them
 * alike (`--num-confirmations`, `OPL_<SERVICE>_NUM_CONFIRMATIONS`). Defaults are op-txmgr's.
 */
export const txManagerConfigFields = {
  privateKey: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 32-byte hex private key')
    .describe('the L1 account key (prefer the env var: flags show in ps)'),
  numConfirmations: int(1).default(1).describe('L1 confirmations before a tx counts'),
  resubmissionTimeoutMs: int(100).default(48_000).describe('bump fees and re-send a tx after, ms'),
  sendTimeoutMs: int(1000).default(600_000).describe('give up on a tx after, ms'),
  feeBumpPercent: int(10).default(10).describe('replacement fee bump, percent (>= 10)'),
  minTipWei: z.coerce.bigint().default(1_000_000n).describe('priority fee floor, wei'),
}
export type TxManagerConfig = { [K in keyof typeof txManagerConfigFields]: z.output<(typeof txManagerConfigFields)[K]> }

/** A TxManager for `config`'s key on `l1`; the chain id is read from L1 once. */
export async function createTxManager(
  config: TxManagerConfig,
  parts: { l1: PublicClient; log: Logger; pollIntervalMs: number; maxPending: number },
): Promise<TxManager> {
  return new TxManager({
    l1: parts.l1,
    account: privateKeyToAccount(config.privateKey as Hex),
    chainId: await parts.l1.getChainId(),
    log: parts.log,
    numConfirmations: config.numConfirmations,
    resubmissionTimeoutMs: config.resubmissionTimeoutMs,
    pollIntervalMs: parts.pollIntervalMs,
    sendTimeoutMs: config.sendTimeoutMs,
    maxPending: parts.maxPending,
    feeBumpPercent: config.feeBumpPercent,
    minTipWei: config.minTipWei,
  })
}
