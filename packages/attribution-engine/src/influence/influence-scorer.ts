import { createHash } from 'node:crypto'
import { type Hex, keccak256, toBytes } from 'viem'
import { InvalidInputError } from '../errors.js'
import type { ShardTask } from '../pool/shard-task.js'
import type { WorkerPool } from '../pool/worker-pool.js'
import { canonicalJson } from '../scoring/canonical-json.js'
import type { Scorer } from '../scoring/scorer.js'
import type { Tokenizer } from '../tokenizer/create-tokenizer.js'
import { InfluenceParams, type InfluenceParamsInput, SmallModelConfig, type SmallModelConfigInput } from './config.js'
import { EmptyTrainingSetError, GradientBudgetError } from './errors.js'
import { estimateGradientBytes, type GradientSlice } from './gradient-store.js'
import { buildInfluenceResult, type InfluenceResult } from './influence-result.js'
import { sequenceLogProb } from './small-lm.js'
import { finalParams, packRows, type TrainedModel } from './train.js'
import type { TrainingSet } from './training-set.js'

/** Model version: what a result depends on, so anyone holding the training set can retrain and recheck it. */
export function modelVersion(set: TrainingSet, config: SmallModelConfig, model: TrainedModel): Hex {
  const params = createHash('sha256')
    .update(new Uint8Array(model.params.buffer, model.params.byteOffset, model.params.byteLength))
    .digest('hex')
  return keccak256(
    toBytes(canonicalJson({ format: 1, kind: 'small-lm', trainingSet: set.digest, config, lrs: model.lrs, params })),
  )
}

/**
 * The small-model path of Proof of Attribution: a neural n-gram LM trained on the Datanet's contributions (in a
 * pool worker), per-contribution TracInCP gradients at every epoch checkpoint (built in slices across the pool,
 * kept in shared memory), and per inference one pool task per slice computing lr-weighted gradient dot products
 * with the output's gradient. Weights go through the same cap and 1e18 normalization as spans.
 */
export class InfluenceScorer implements Scorer<InfluenceResult> {
  readonly method = 'influence'

  private constructor(
    private readonly pool: WorkerPool<ShardTask>,
    private readonly tokenizer: Tokenizer,
    readonly set: TrainingSet,
    readonly config: SmallModelConfig,
    readonly params: InfluenceParams,
    readonly model: TrainedModel,
    readonly version: Hex,
    private readonly slices: Array<{ key: string; first: number; count: number }>,
  ) {}

  static async train(args: {
    pool: WorkerPool<ShardTask>
    tokenizer: Tokenizer
    set: TrainingSet
    config?: SmallModelConfigInput
    params?: InfluenceParamsInput
  }): Promise<InfluenceScorer> {
    const config = SmallModelConfig.parse(args.config ?? {})
    const params = InfluenceParams.parse(args.params ?? {})
    const { pool, set } = args
    if (set.contributions.length === 0) throw new EmptyTrainingSetError('no contribution has an accepted row')
    const shape = { vocab: config.vocab, buckets: config.buckets, dim: config.dim, orders: config.orders }
    let bytes = 0
    for (const c of set.contributions)
      bytes += estimateGradientBytes(
        shape,
        config.epochs,
        c.rows.reduce((a, r) => a + r.length, 0),
      )
    if (bytes > params.maxGradientBytes)
      throw new GradientBudgetError('the gradient store would exceed its budget', {
        bytes,
        maxGradientBytes: params.maxGradientBytes,
      })
    const rows = packRows(set.contributions.flatMap((c) => c.rows))
    const model = await pool.run<TrainedModel>({ kind: 'influence-train', rows, config }, { timeoutMs: 3_600_000 })
    return InfluenceScorer.fromModel({ ...args, config, params, model })
  }

  /**
   * A scorer over an already trained model (e.g. loaded from disk): shares it with the workers and builds the
   * per-contribution gradient slices. `model` must be the one trained on `set` with `config` (its version pins both).
   */
  static async fromModel(args: {
    pool: WorkerPool<ShardTask>
    tokenizer: Tokenizer
    set: TrainingSet
    config: SmallModelConfig
    params: InfluenceParams
    model: TrainedModel
  }): Promise<InfluenceScorer> {
    const { pool, set, config, params, model } = args
    const version = modelVersion(set, config, model)
    const modelKey = `influence:${version}`
    pool.share(modelKey, model)
    const slices: Array<{ key: string; first: number; count: number }> = []
    for (let first = 0; first < set.contributions.length; first += params.sliceSize)
      slices.push({
        key: `${modelKey}:slice:${slices.length}`,
        first,
        count: Math.min(params.sliceSize, set.contributions.length - first),
      })
    const built = await Promise.all(
      slices.map((s) => {
        const part = set.contributions.slice(s.first, s.first + s.count)
        const owners = Uint32Array.from(part.flatMap((c, i) => c.rows.map(() => i)))
        return pool.run<GradientSlice>(
          {
            kind: 'influence-gradients',
            model: modelKey,
            rows: packRows(part.flatMap((c) => c.rows)),
            owners,
            count: s.count,
          },
          { timeoutMs: 3_600_000 },
        )
      }),
    )
    slices.forEach((s, i) => {
      pool.share(s.key, built[i])
    })
    return new InfluenceScorer(pool, args.tokenizer, set, config, params, model, version, slices)
  }

  attribute(output: string, options: { signal?: AbortSignal } = {}): Promise<InfluenceResult> {
    return this.attributeTokens(Uint32Array.from(this.tokenizer.encode(output)), output, options)
  }

  /** TracIn influence of every contribution on the output's log-likelihood (pool tasks, one per slice). */
  async influences(tokens: Uint32Array, options: { signal?: AbortSignal } = {}): Promise<Float64Array> {
    const parts = await Promise.all(
      this.slices.map((s) =>
        this.pool.run<Float64Array>(
          { kind: 'influence-score', model: `influence:${this.version}`, slice: s.key, tokens },
          { signal: options.signal },
        ),
      ),
    )
    const out = new Float64Array(this.set.contributions.length)
    this.slices.forEach((s, i) => {
      out.set(parts[i]!, s.first)
    })
    return out
  }

  async attributeTokens(
    tokens: Uint32Array,
    output: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<InfluenceResult> {
    if (tokens.length === 0) throw new InvalidInputError('empty output')
    const influence = await this.influences(tokens, options)
    const { explained } = sequenceLogProb(finalParams(this.model), this.model.shape, this.model.vocab, tokens)
    return buildInfluenceResult({
      modelVersion: this.version,
      output,
      outputTokens: tokens.length,
      explained,
      contributions: this.set.contributions,
      influence,
      params: this.params,
    })
  }

  /** Drops the model and its gradient slices from the workers. */
  release(): void {
    for (const s of this.slices) this.pool.unshare(s.key)
    this.pool.unshare(`influence:${this.version}`)
  }
}
