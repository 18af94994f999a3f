import type { AttributionEngine } from '../engine/attribution-engine.js'
import { InvalidInputError } from '../errors.js'
import type { InfluenceResult } from '../influence/influence-result.js'
import type { SmallModels } from '../influence/small-models.js'
import { applyPayoutScales } from '../scoring/apply-payout-scales.js'
import type { AttributionResult } from '../scoring/attribution-result.js'
import type { ScorerMethod } from '../scoring/scorer.js'
import type { ChainFacts } from './chain-facts.js'

export type AnyAttribution = AttributionResult | InfluenceResult

export type AttributeRequest = {
  output: string
  /** chain mode: the paid inference (its model and payment block come from the chain) */
  inferenceId?: bigint
  /** off chain: the model named by the request's charge */
  modelId?: string
  /** the scorer asked for; must agree with the registry's model kind when the registry has one */
  scorer?: ScorerMethod
  /** off chain, influence: the Datanets to train on (default: every contribution in the index) */
  datanetIds?: string[]
  signal?: AbortSignal
}

/**
 * Picks the scorer per model and runs it. On chain: the kind the model was registered with (ModelRegistry.kindOf:
 * Large → spans, Small → influence); a request's `scorer` must agree. Off chain: the request's `scorer`, else the
 * configured `influenceModels` list, else spans. The influence path trains its small model on the model's Datanets (SmallModels). In chain mode every
 * contributor's payout is then scaled by DatanetRegistry.payoutScaleWad read at the inference's payment block.
 */
export class Attributor {
  constructor(
    private readonly options: {
      engine: AttributionEngine
      smallModels?: SmallModels
      /** model ids scored by influence when neither the registry nor the request says */
      influenceModels?: ReadonlySet<string>
      chain?: ChainFacts
    },
  ) {}

  async attribute(req: AttributeRequest): Promise<AnyAttribution> {
    const { chain } = this.options
    const paid = chain && req.inferenceId !== undefined ? await chain.paidInference(req.inferenceId) : undefined
    const modelId = paid ? paid.modelId.toString() : req.modelId
    const registered = paid ? await chain!.modelKind(paid.modelId) : undefined
    if (registered && req.scorer && req.scorer !== registered)
      throw new InvalidInputError('the model is registered for another scorer', {
        modelId,
        registered,
        requested: req.scorer,
      })
    const method =
      registered ??
      req.scorer ??
      (modelId !== undefined && this.options.influenceModels?.has(modelId) ? 'influence' : 'span')
    const result = method === 'influence' ? await this.influence(req, paid?.modelId) : await this.span(req)
    if (!paid) return result
    const scales = await chain!.payoutScales(
      result.contributors.map((c) => c.contributor),
      paid.blockNumber,
    )
    return applyPayoutScales(result, scales, paid.blockNumber)
  }

  private span(req: AttributeRequest): Promise<AttributionResult> {
    return this.options.engine.attribute(req.output, { signal: req.signal })
  }

  private async influence(req: AttributeRequest, modelId: bigint | undefined): Promise<InfluenceResult> {
    const models = this.options.smallModels
    if (!models) throw new InvalidInputError('influence scoring is not enabled on this service')
    const datanets =
      modelId !== undefined && this.options.chain ? await this.options.chain.datanetsOf(modelId) : req.datanetIds
    return models.use(datanets, (scorer) => scorer.attribute(req.output, { signal: req.signal }))
  }
}
