import { StandardMerkleTree } from '@openzeppelin/merkle-tree'
import { type Address, type Hex, isHex, keccak256, toBytes, zeroHash } from 'viem'
import { NotFoundError, SettlementError } from '../errors.js'
import type { SettleableResult } from '../scoring/scorer.js'
import { buildClaimsTree, type ClaimProof } from './claims-tree.js'
import { type DatanetShare, distributeContributorsPart } from './distribute-contributors-part.js'
import { computeInferenceFee, DEFAULT_SPLIT, type FeeSplit, splitModelFee } from './fee.js'
import type { EpochSettlement, InferenceRecord, Settler } from './settler.js'

export const RECORD_LEAF_TYPES = ['bytes32', 'bytes32', 'uint256', 'uint256', 'bytes32', 'bytes32', 'bytes32']

export type InferenceCharge = {
  inferenceId: string
  modelId: string
  modelOwner?: Address
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
 * An inference whose split is already fixed (on chain: the `InferencePaid` payment), booked into a given epoch.
 * `inferenceId` and `modelId` are the on-chain ids as bytes32.
 */
export type PaidCharge = {
  epoch: number
  inferenceId: Hex
  modelId: Hex
  inTokens: bigint
  outTokens: bigint
  parts: { owner: bigint; contributors: bigint; protocol: bigint; platform: bigint }
  modelOwner?: Address
  datanets: DatanetShare[]
}

/** What an inference without an attribution records: its whole contributors' part is unattributed. */
const UNATTRIBUTED: SettleableResult = {
  indexVersion: zeroHash,
  outputHash: zeroHash,
  contributors: [],
  unattributedWad: (10n ** 18n).toString(),
  digest: zeroHash,
}

type OpenEpoch = {
  payouts: Map<Address, bigint>
  owners: Map<Address, bigint>
  records: InferenceRecord[]
  totals: { protocol: bigint; platform: bigint }
}

const openEpoch = (): OpenEpoch => ({
  payouts: new Map(),
  owners: new Map(),
  records: [],
  totals: { protocol: 0n, platform: 0n },
})

/**
 * Accumulates the payouts of open epochs and closes one into Merkle roots handed to the Settler; keeps the claim
 * proofs of every settled epoch for `GET /v1/claims/:contributor`. Epochs are numbered by the caller when it books
 * into a given epoch (the chain path uses AttributionRewards' epochs, which start at 0); `charge` without an epoch
 * books into the book's own counter, which starts at `firstEpoch` (1 by default, the in-memory path).
 */
export class EpochBook {
  private epoch: number
  private readonly open = new Map<number, OpenEpoch>()
  private readonly closed = new Set<number>()
  private readonly claims = new Map<string, ClaimProof[]>()

  constructor(
    private readonly settler: Settler,
    options: { firstEpoch?: number } = {},
  ) {
    this.epoch = options.firstEpoch ?? 1
  }

  get currentEpoch(): number {
    return this.epoch
  }

  isClosed(epoch: number): boolean {
    return this.closed.has(epoch)
  }

  /** Charges one attributed inference into the book's open epoch at the given rates; returns its payouts. */
  charge(result: SettleableResult, c: InferenceCharge): Map<Address, bigint> {
    const fee = computeInferenceFee(c)
    const parts = splitModelFee(fee.modelFee, c.split ?? DEFAULT_SPLIT)
    return this.add(this.epoch, result, {
      epoch: this.epoch,
      inferenceId: toBytes32(c.inferenceId),
      modelId: toBytes32(c.modelId),
      inTokens: c.inTokens,
      outTokens: c.outTokens,
      parts: { ...parts, platform: fee.platformFee },
      modelOwner: c.modelOwner,
      datanets: c.datanets,
    })
  }

  /**
   * Books an inference whose split is fixed into `c.epoch`. Without a result (no attribution arrived) its whole
   * contributors' part goes to the Datanet treasuries, as the unattributed share does.
   */
  book(result: SettleableResult | undefined, c: PaidCharge): Map<Address, bigint> {
    if (this.closed.has(c.epoch)) throw new SettlementError('epoch already closed', { epoch: c.epoch })
    return this.add(c.epoch, result ?? UNATTRIBUTED, c)
  }

  private add(epoch: number, result: SettleableResult, c: PaidCharge): Map<Address, bigint> {
    const e = this.open.get(epoch) ?? openEpoch()
    this.open.set(epoch, e)
    const payouts = distributeContributorsPart({
      amount: c.parts.contributors,
      weights: result.contributors,
      unattributedWad: result.unattributedWad,
      datanets: c.datanets,
    })
    for (const [a, v] of payouts) e.payouts.set(a, (e.payouts.get(a) ?? 0n) + v)
    if (c.modelOwner) e.owners.set(c.modelOwner, (e.owners.get(c.modelOwner) ?? 0n) + c.parts.owner)
    e.totals.protocol += c.parts.protocol
    e.totals.platform += c.parts.platform
    e.records.push({
      inferenceId: c.inferenceId,
      modelId: c.modelId,
      inTokens: c.inTokens.toString(),
      outTokens: c.outTokens.toString(),
      outputHash: result.outputHash,
      indexVersion: result.indexVersion,
      resultDigest: result.digest,
    })
    return payouts
  }

  /**
   * Closes an epoch (the book's open one by default): builds both trees and settles through the Settler. The
   * epoch stays open if the Settler throws, so it can be retried.
   */
  async close(epoch: number = this.epoch): Promise<EpochSettlement> {
    if (this.closed.has(epoch)) throw new SettlementError('epoch already closed', { epoch })
    const e = this.open.get(epoch) ?? openEpoch()
    const { root: claimsRoot, proofs } = buildClaimsTree(epoch, e.payouts)
    const recordsTree = StandardMerkleTree.of(
      e.records.map((r) => [
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
      totalClaims: [...e.payouts.values()].reduce((a, b) => a + b, 0n).toString(),
      totalOwner: [...e.owners.values()].reduce((a, b) => a + b, 0n).toString(),
      totalProtocol: e.totals.protocol.toString(),
      totalPlatform: e.totals.platform.toString(),
      inferences: e.records.length,
      claims: proofs,
      records: e.records,
      owners: [...e.owners].sort().map(([account, amount]) => ({ account, amount: amount.toString() })),
    }
    await this.settler.settle(settlement)
    this.restore(settlement)
    this.open.delete(epoch)
    if (epoch === this.epoch) this.epoch++
    return settlement
  }

  /** Drops an open epoch's bookings (a caller that books a whole epoch at once retries from scratch). */
  discard(epoch: number): void {
    this.open.delete(epoch)
  }

  /** Serves the proofs of an epoch settled earlier (loaded from disk after a restart). */
  restore(settlement: EpochSettlement): void {
    if (this.closed.has(settlement.epoch)) return
    this.closed.add(settlement.epoch)
    for (const p of settlement.claims) {
      const key = p.account.toLowerCase()
      this.claims.set(key, [...(this.claims.get(key) ?? []), p])
    }
  }

  claimsOf(account: Address): ClaimProof[] {
    const list = this.claims.get(account.toLowerCase())
    if (!list) throw new NotFoundError('no claims for this account', { account })
    return list
  }
}
