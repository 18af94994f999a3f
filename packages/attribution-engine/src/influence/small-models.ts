import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { Logger } from 'pino'
import type { ShardTask } from '../pool/shard-task.js'
import type { WorkerPool } from '../pool/worker-pool.js'
import { canonicalJson } from '../scoring/canonical-json.js'
import type { Tokenizer } from '../tokenizer/create-tokenizer.js'
import { InfluenceParams, type InfluenceParamsInput, SmallModelConfig, type SmallModelConfigInput } from './config.js'
import { InfluenceScorer } from './influence-scorer.js'
import { loadTrainedModel, saveTrainedModel } from './model-file.js'
import type { TrainingSet } from './training-set.js'

export type SmallModelsOptions = {
  /** where the current index's contributions come from (the engine) */
  data: { trainingSet(datanetIds?: readonly string[]): Promise<TrainingSet> }
  pool: WorkerPool<ShardTask>
  tokenizer: Tokenizer
  /** trained models are kept here (`<key>.slm`); without it every start retrains */
  dir?: string
  config?: SmallModelConfigInput
  params?: InfluenceParamsInput
  log?: Logger
}

type Entry = { key: string; scorer: Promise<InfluenceScorer>; inflight: number; retired: boolean }

/**
 * The small models the influence path scores with, one per set of Datanets. Retraining is on demand: each query
 * reads the Datanets' approved contributions from the current index version, and when they differ from what the
 * model in memory was trained on (new approvals since), a new model is trained before scoring. A trained model is
 * stored under the hash of (training-set digest, config), so a restart — or the same data again — loads it instead
 * of retraining; training is seeded and deterministic, so a reload and a retrain give the same model version.
 */
export class SmallModels {
  private readonly config: SmallModelConfig
  private readonly params: InfluenceParams
  private readonly current = new Map<string, Entry>()

  constructor(private readonly options: SmallModelsOptions) {
    this.config = SmallModelConfig.parse(options.config ?? {})
    this.params = InfluenceParams.parse(options.params ?? {})
  }

  /** Runs `fn` with the scorer for `datanetIds` (all contributions when omitted), trained on their current data. */
  async use<R>(datanetIds: readonly string[] | undefined, fn: (scorer: InfluenceScorer) => Promise<R>): Promise<R> {
    const set = await this.options.data.trainingSet(datanetIds)
    const key = createHash('sha256')
      .update(canonicalJson({ trainingSet: set.digest, config: this.config, params: this.params }))
      .digest('hex')
    const slot = datanetIds ? [...datanetIds].sort().join(',') : '*'
    let entry = this.current.get(slot)
    if (entry?.key !== key) {
      const previous = entry
      entry = { key, scorer: this.load(key, set), inflight: 0, retired: false }
      this.current.set(slot, entry)
      if (previous) this.retire(previous)
    }
    entry.inflight++
    try {
      let scorer: InfluenceScorer
      try {
        scorer = await entry.scorer
      } catch (err) {
        // a failed training is not kept: the next query tries again
        if (this.current.get(slot) === entry) this.current.delete(slot)
        throw err
      }
      return await fn(scorer)
    } finally {
      entry.inflight--
      if (entry.retired) this.retire(entry)
    }
  }

  /** Drops every model from the workers. */
  async close(): Promise<void> {
    for (const e of this.current.values()) (await e.scorer.catch(() => undefined))?.release()
    this.current.clear()
  }

  private retire(entry: Entry): void {
    entry.retired = true
    if (entry.inflight === 0) void entry.scorer.then((s) => s.release()).catch(() => undefined)
  }

  private async load(key: string, set: TrainingSet): Promise<InfluenceScorer> {
    const { dir, pool, tokenizer, log } = this.options
    const file = dir ? join(dir, `${key}.slm`) : undefined
    const stored = file ? await loadTrainedModel(file) : undefined
    if (stored) {
      const scorer = await InfluenceScorer.fromModel({ pool, tokenizer, set, ...this.cfg(), model: stored.model })
      if (scorer.version === stored.meta.version) {
        log?.info({ version: scorer.version, contributions: set.contributions.length }, 'small model loaded')
        return scorer
      }
      scorer.release()
      log?.warn({ file }, 'stored small model does not match its version: retraining')
    }
    const started = performance.now()
    const scorer = await InfluenceScorer.train({ pool, tokenizer, set, ...this.cfg() })
    if (file) await saveTrainedModel(file, scorer.model, { version: scorer.version, trainingSet: set.digest })
    log?.info(
      { version: scorer.version, contributions: set.contributions.length, ms: Math.round(performance.now() - started) },
      'small model trained',
    )
    return scorer
  }

  private cfg() {
    return { config: this.config, params: this.params }
  }
}
