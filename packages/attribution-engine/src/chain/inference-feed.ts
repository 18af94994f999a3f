import type { Logger } from 'pino'
import { type Address, getAbiItem, getAddress, type Hex, type PublicClient } from 'viem'
import { attributionRewardsAbi } from './abis.js'
import { type BlockMark, LogScanner } from './log-scanner.js'

const inferencePaidEvent = getAbiItem({ abi: attributionRewardsAbi, name: 'InferencePaid' })

/** One `InferencePaid`: the on-chain id, epoch and the exact split the contract escrowed. */
export type PaidInference = {
  /** (epoch << 64) | index within the epoch */
  inferenceId: bigint
  epoch: bigint
  index: bigint
  modelId: bigint
  payer: Address
  inTokens: bigint
  outTokens: bigint
  modelFee: bigint
  platformFee: bigint
  ownerPart: bigint
  contributorsPart: bigint
  protocolPart: bigint
  requestRef: Hex
  blockNumber: bigint
  txHash: Hex
}

export const epochOfInference = (inferenceId: bigint): bigint => inferenceId >> 64n
export const indexOfInference = (inferenceId: bigint): bigint => inferenceId & ((1n << 64n) - 1n)

export type InferenceFeedOptions = {
  client: PublicClient
  rewards: Address
  startBlock?: bigint
  confirmations?: number
  maxBlockRange?: bigint
  log?: Logger
}

/**
 * Paid inferences from AttributionRewards `InferencePaid` events, confirmed and in chain order. Stateless: the
 * caller keeps the returned mark with whatever it did with the payments, and passes it back to resume.
 */
export class InferenceFeed {
  private readonly scanner: LogScanner

  constructor(options: InferenceFeedOptions) {
    this.scanner = new LogScanner({
      client: options.client,
      address: options.rewards,
      events: [inferencePaidEvent],
      startBlock: options.startBlock ?? 0n,
      confirmations: options.confirmations ?? 0,
      maxBlockRange: options.maxBlockRange ?? 1_000n,
      log: options.log,
    })
  }

  /** Payments in the confirmed blocks after `mark` (all of them without one) and the new mark. */
  async next(mark?: BlockMark): Promise<{ paid: PaidInference[]; mark?: BlockMark }> {
    if (mark) await this.scanner.checkMark(mark)
    const paid: PaidInference[] = []
    let last = mark
    for await (const range of this.scanner.scan(mark ? mark.block + 1n : 0n)) {
      for (const log of range.logs)
        paid.push(toPaidInference(log.args as InferencePaidArgs, log.blockNumber, log.transactionHash))
      last = range.mark
    }
    return { paid, mark: last }
  }
}

type InferencePaidArgs = {
  inferenceId: bigint
  modelId: bigint
  payer: Address
  payment: { epoch: bigint } & Pick<
    PaidInference,
    | 'inTokens'
    | 'outTokens'
    | 'modelFee'
    | 'platformFee'
    | 'ownerPart'
    | 'contributorsPart'
    | 'protocolPart'
    | 'requestRef'
  >
}

function toPaidInference(a: InferencePaidArgs, blockNumber: bigint, txHash: Hex): PaidInference {
  const { payment: p } = a
  return {
    inferenceId: a.inferenceId,
    epoch: epochOfInference(a.inferenceId),
    index: indexOfInference(a.inferenceId),
    modelId: a.modelId,
    payer: getAddress(a.payer),
    inTokens: p.inTokens,
    outTokens: p.outTokens,
    modelFee: p.modelFee,
    platformFee: p.platformFee,
    ownerPart: p.ownerPart,
    contributorsPart: p.contributorsPart,
    protocolPart: p.protocolPart,
    requestRef: p.requestRef,
    blockNumber,
    txHash,
  }
}
