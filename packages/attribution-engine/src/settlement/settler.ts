import type { Address, Hex } from 'viem'
import type { ClaimProof } from './claims-tree.js'

/** Per-inference record anchored on chain (its Merkle root), with the evidence kept off chain. */
export type InferenceRecord = {
  inferenceId: Hex
  modelId: Hex
  inTokens: string
  outTokens: string
  outputHash: Hex
  indexVersion: Hex
  resultDigest: Hex
}

/** What an epoch puts on chain: two roots and the totals; the proofs are served to claimants. */
export type EpochSettlement = {
  epoch: number
  claimsRoot: Hex
  recordsRoot: Hex
  /** total paid to contributors and Datanet treasuries (sum of all leaves) */
  totalClaims: string
  totalOwner: string
  totalProtocol: string
  totalPlatform: string
  inferences: number
  claims: ClaimProof[]
  records: InferenceRecord[]
  /** owner payouts per model owner (paid directly, not through the claims tree) */
  owners: Array<{ account: Address; amount: string }>
}

export type SettlementReceipt = { epoch: number; txHash?: Hex; settledAt: string }

/**
 * Puts an epoch on chain. `RewardsSettler` (chain/) posts the roots and totals to `AttributionRewards` as the
 * attestor; nothing is funded: the totals must equal the contributors' parts the contract escrowed at payment.
 * `RecordingSettler` keeps epochs in memory for the path without a chain.
 */
export interface Settler {
  settle(epoch: EpochSettlement): Promise<SettlementReceipt>
}

export class RecordingSettler implements Settler {
  readonly settled: EpochSettlement[] = []

  async settle(epoch: EpochSettlement): Promise<SettlementReceipt> {
    this.settled.push(epoch)
    return { epoch: epoch.epoch, settledAt: new Date().toISOString() }
  }
}
