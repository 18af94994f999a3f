import type { SmallModelConfig } from '../influence/config.js'
import { packRows } from '../influence/train.js'
import type { TrainingSet } from '../influence/training-set.js'
import type { ShardTask } from '../pool/shard-task.js'
import type { WorkerPool } from '../pool/worker-pool.js'

/**
 * The counterfactual side of LDS: retrains the small model on each subset of contributions (one pool task per
 * subset, so both cores work) and returns `actual[s][t]` = Σ ln p(test t) under the model trained on subset s.
 */
export async function retrainOnSubsets(args: {
  pool: WorkerPool<ShardTask>
  set: TrainingSet
  config: SmallModelConfig
  /** the full model's output classes, kept fixed across retrains */
  vocab: Uint32Array
  subsets: readonly Uint8Array[]
  tests: readonly Uint32Array[]
  onDone?: (done: number) => void
}): Promise<Float64Array[]> {
  const tests = packRows(args.tests)
  let done = 0
  return Promise.all(
    args.subsets.map(async (mask) => {
      const rows = packRows(args.set.contributions.filter((_, i) => mask[i] === 1).flatMap((c) => c.rows))
      const out = await args.pool.run<Float64Array>(
        { kind: 'influence-retrain-eval', rows, config: args.config, vocab: args.vocab, tests },
        { timeoutMs: 3_600_000 },
      )
      args.onDone?.(++done)
      return out
    }),
  )
}
