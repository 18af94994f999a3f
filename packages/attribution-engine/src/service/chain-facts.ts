import { type Address, getAbiItem, type PublicClient, parseAbi } from 'viem'
import { attributionRewardsAbi, modelRegistryAbi } from '../chain/abis.js'
import { UnknownInferenceError } from '../chain/errors.js'
import { readModelKind } from '../chain/read-model-kind.js'
import type { ScorerMethod } from '../scoring/scorer.js'

const payoutScaleAbi = parseAbi(['function payoutScaleWad(address contributor) view returns (uint256)'])
const inferencePaidEvent = getAbiItem({ abi: attributionRewardsAbi, name: 'InferencePaid' })

/** What the attribution of a paid inference depends on, read from the chain. */
export type PaidInferenceFacts = { modelId: bigint; blockNumber: bigint }

/**
 * Chain reads the scorer choice and penalty scaling need: the paid inference's model and block, the model's
 * Datanets, its registered kind and contributors' payout scales at a pinned block.
 */
export class ChainFacts {
  constructor(
    private readonly options: {
      client: PublicClient
      rewards: Address
      models: Address
      registry: Address
      startBlock?: bigint
    },
  ) {}

  /** kinds never change after registration */
  private readonly kinds = new Map<bigint, Promise<ScorerMethod>>()

  /** The `InferencePaid` of `inferenceId` (indexed topic, one log). */
  async paidInference(inferenceId: bigint): Promise<PaidInferenceFacts> {
    const [log] = await this.options.client.getLogs({
      address: this.options.rewards,
      event: inferencePaidEvent,
      args: { inferenceId },
      fromBlock: this.options.startBlock ?? 0n,
      toBlock: 'latest',
      strict: true,
    })
    if (!log) throw new UnknownInferenceError('no InferencePaid with this id', { inferenceId: inferenceId.toString() })
    return { modelId: log.args.modelId, blockNumber: log.blockNumber }
  }

  /**
   * The model's owner in ModelRegistry at `block` (the inference's payment block): the party that served the
   * inference and was paid for it; a later transfer does not hand the new owner the outputs of earlier payments.
   */
  async modelOwner(modelId: bigint, block: bigint): Promise<Address> {
    const pricing = await this.options.client.readContract({
      address: this.options.models,
      abi: modelRegistryAbi,
      functionName: 'pricing',
      args: [modelId],
      blockNumber: block,
    })
    return pricing.owner
  }

  /** The Datanet ids the model trains on (ModelRegistry.datanetsOf). */
  async datanetsOf(modelId: bigint): Promise<string[]> {
    const refs = await this.options.client.readContract({
      address: this.options.models,
      abi: modelRegistryAbi,
      functionName: 'datanetsOf',
      args: [modelId],
    })
    return refs.map((r) => r.datanetId.toString())
  }

  /** The model's scorer from its registered kind: Large → spans, Small → influence. */
  modelKind(modelId: bigint): Promise<ScorerMethod> {
    let kind = this.kinds.get(modelId)
    if (!kind) {
      kind = readModelKind(this.options.client, this.options.models, modelId).then((k) =>
        k === 'small' ? 'influence' : 'span',
      )
      kind.catch(() => this.kinds.delete(modelId))
      this.kinds.set(modelId, kind)
    }
    return kind
  }

  /**
   * DatanetRegistry.payoutScaleWad of each contributor at `block` (the inference's payment block), so the scaling
   * is reproducible: the penalty score decays with time and a later read would give another value.
   */
  async payoutScales(contributors: readonly Address[], block: bigint): Promise<Map<Address, bigint>> {
    const values = await Promise.all(
      contributors.map((contributor) =>
        this.options.client.readContract({
          address: this.options.registry,
          abi: payoutScaleAbi,
          functionName: 'payoutScaleWad',
          args: [contributor],
          blockNumber: block,
        }),
      ),
    )
    return new Map(contributors.map((c, i) => [c, values[i]!]))
  }
}
