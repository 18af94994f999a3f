import { SettlementError } from '../errors.js'
import { largestRemainder } from './largest-remainder.js'

export type InferenceFeeInput = {
  inTokens: bigint
  outTokens: bigint
  /** the model's price per 1,000 input / output tokens, in OPEN wei */
  rateInWei: bigint
  rateOutWei: bigint
  /** platform fee on top of the model fee, in basis points (default 5%) */
  platformFeeBps?: number
}

export type InferenceFee = { modelFee: bigint; platformFee: bigint; total: bigint }

/** fee = inTokens/1000 × rateIn + outTokens/1000 × rateOut, plus the platform fee in bps of it (floored). */
export function computeInferenceFee(input: InferenceFeeInput): InferenceFee {
  const bps = input.platformFeeBps ?? 500
  if (bps < 0 || bps > 10_000 || !Number.isInteger(bps)) throw new SettlementError('platform fee out of range', { bps })
  if (input.inTokens < 0n || input.outTokens < 0n || input.rateInWei < 0n || input.rateOutWei < 0n)
    throw new SettlementError('token counts and rates must be non-negative')
  const modelFee = (input.inTokens * input.rateInWei + input.outTokens * input.rateOutWei) / 1000n
  const platformFee = (modelFee * BigInt(bps)) / 10_000n
  return { modelFee, platformFee, total: modelFee + platformFee }
}

/** The model fee split, in basis points; governance bounds: contributors ≥ 30%, protocol ≥ 10%. */
export type FeeSplit = { contributorsBps: number; ownerBps: number; protocolBps: number }
export const DEFAULT_SPLIT: FeeSplit = { contributorsBps: 5_000, ownerBps: 3_000, protocolBps: 2_000 }

export function checkSplit(split: FeeSplit): void {
  const { contributorsBps, ownerBps, protocolBps } = split
  if ([contributorsBps, ownerBps, protocolBps].some((v) => !Number.isInteger(v) || v < 0))
    throw new SettlementError('split parts must be non-negative integers', split)
  if (contributorsBps + ownerBps + protocolBps !== 10_000)
    throw new SettlementError('split must sum to 10000 bps', split)
  if (contributorsBps < 3_000) throw new SettlementError('contributors must get at least 30%', split)
  if (protocolBps < 1_000) throw new SettlementError('protocol must get at least 10%', split)
}

/** Splits the model fee exactly (largest remainder): the three parts always sum to `modelFee`. */
export function splitModelFee(
  modelFee: bigint,
  split: FeeSplit = DEFAULT_SPLIT,
): { contributors: bigint; owner: bigint; protocol: bigint } {
  checkSplit(split)
  const [contributors, owner, protocol] = largestRemainder(modelFee, [
    BigInt(split.contributorsBps),
    BigInt(split.ownerBps),
    BigInt(split.protocolBps),
  ])
  return { contributors: contributors!, owner: owner!, protocol: protocol! }
}
