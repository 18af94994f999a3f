import { StandardMerkleTree } from '@openzeppelin/merkle-tree'
import { type Address, type Hex, isHex, keccak256, toBytes } from 'viem'
import { NotFoundError } from '../errors.js'
import type { SettleableResult } from '../scoring/scorer.js'
import { buildClaimsTree, type ClaimProof } from './claims-tree.js'
import { type DatanetShare, distributeContributorsPart } from './distribute-contributors-part.js'
import { computeInferenceFee, DEFAULT_SPLIT, type FeeSplit, splitModelFee } from './fee.js'
import type { EpochSettlement, InferenceRecord, Settler } from './settler.js'

export const RECORD_LEAF_TYPES = ['bytes32', 'bytes32', 'uint256', 'uint256', 'bytes32', 'bytes32', 'bytes32']

export type InferenceCharge = {
  inferenceId: string
  modelId: string
  modelOwner: Address
  inTokens: bigint
  outTokens: bigint
  rateInWei: bigint
  rateOutWei: bigint
  platformFeeBps?: number
  split?: FeeSplit
  datanets: DatanetShare[]
}

/** An id as bytes32: a 32-byte hex id is kept, anything else is hashed. */
export const toBytes32 = (id: string): Hex => (isHex(id) && id.length === 66 ? id : keccak256(toBytes(id)))

/**
 * Accumulates the payouts of the current epoch's inferences and closes it into Merkle roots handed to the
 * Settler; keeps the claim proofs of every settled epoch for `GET /v1/claims/:contributor`.
 */
export class EpochBook {
  private epoch = 1
  private payouts = new Map<Address, bigint>()
  private owners = new Map<Address, bigint>()
  private records: InferenceRecord[] = []
  private totals = { protocol: 0n, platform: 0n }
  private readonly claims = new Map<string, ClaimProof[]>()

  constructor(private readonly settler: Settler) {}

  get currentEpoch(): number {
    return this.epoch
  }

  /** Charges one attributed inference into the open epoch; returns its payouts. */
  charge(result: SettleableResult, c: InferenceCharge): Map<Address, bigint> {
    const fee = computeInferenceFee(c)
    const parts = splitModelFee(fee.modelFee, c.split ?? DEFAULT_SPLIT)
    const payouts = distributeContributorsPart({
      amount: parts.contributors,
      weights: result.contributors,
      unattributedWad: result.unattributedWad,
      datanets: c.datanets,
    })
    for (const [a, v] of payouts) this.payouts.set(a, (this.payouts.get(a) ?? 0n) + v)
    this.owners.set(c.modelOwner, (this.owners.get(c.modelOwner) ?? 0n) + parts.owner)
    this.totals.protocol += parts.protocol
    this.totals.platform += fee.platformFee
    this.records.push({
      inferenceId: toBytes32(c.inferenceId),
      modelId: toBytes32(c.modelId),
      inTokens: c.inTokens.toString(),
      outTokens: c.outTokens.toString(),
      outputHash: result.outputHash,
      indexVersion: result.indexVersion,
      resultDigest: result.digest,
    })
    return payouts
  }

  /** Closes the open epoch: builds both trees, settles through the Settler, opens the next epoch. */
  async close(): Promise<EpochSettlement> {
    const epoch = this.epoch
    const { root: claimsRoot, proofs } = buildClaimsTree(epoch, this.payouts)
    const recordsTree = StandardMerkleTree.of(
      this.records.map((r) => [
        r.inferenceId,
        r.modelId,
        r.inTokens,
        r.outTokens,
        r.outputHash,
        r.indexVersion,
        r.resultDigest,
      ]),
      RECORD_LEAF_TYPES,
    )
    const settlement: EpochSettlement = {
      epoch,
      claimsRoot,
      recordsRoot: recordsTree.root as Hex,
      totalClaims: [...this.payouts.values()].reduce((a, b) => a + b, 0n).toString(),
      totalOwner: [...this.owners.values()].reduce((a, b) => a + b, 0n).toString(),
      totalProtocol: this.totals.protocol.toString(),
      totalPlatform: this.totals.platform.toString(),
      inferences: this.records.length,
      claims: proofs,
      records: this.records,
      owners: [...this.owners].sort().map(([account, amount]) => ({ account, amount: amount.toString() })),
    }
    await this.settler.settle(settlement)
    for (const p of proofs) {
      const key = p.account.toLowerCase()
      this.claims.set(key, [...(this.claims.get(key) ?? []), p])
    }
    this.epoch++
    this.payouts = new Map()
    this.owners = new Map()
    this.records = []
    this.totals = { protocol: 0n, platform: 0n }
    return settlement
  }

  claimsOf(account: Address): ClaimProof[] {
    const list = this.claims.get(account.toLowerCase())
    if (!list) throw new NotFoundError('no claims for this account', { account })
    return list
  }
}
