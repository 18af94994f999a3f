import type { SmallModelConfig } from './config.js'
import { ModelNotReadyError } from './errors.js'
import { buildGradientSlice, type GradientSlice } from './gradient-store.js'
import { sequenceLogProb, Workspace } from './small-lm.js'
import { testGradients, tracinScores } from './tracin.js'
import { finalParams, type RowsInput, rowsOf, type TrainedModel, trainSmallLm } from './train.js'

/**
 * Influence work the pool's workers do. `model` and `slice` name values shared with `pool.share` (the trained
 * model and gradient slices live in shared memory, so a task carries only keys and the output's tokens).
 */
export type InfluenceTask =
  | { kind: 'influence-train'; rows: RowsInput; config: SmallModelConfig }
  | { kind: 'influence-gradients'; model: string; rows: RowsInput; owners: Uint32Array; count: number }
  | { kind: 'influence-score'; model: string; slice: string; tokens: Uint32Array }
  /** LDS: train on a subset and return Σ ln p of every test sequence under the final parameters */
  | { kind: 'influence-retrain-eval'; rows: RowsInput; config: SmallModelConfig; vocab: Uint32Array; tests: RowsInput }

export function runInfluenceTask(task: InfluenceTask, shared: ReadonlyMap<string, unknown>): unknown {
  const get = <V>(key: string): V => {
    const v = shared.get(key)
    if (v === undefined) throw new ModelNotReadyError(`${key} is not loaded in this worker`, { key })
    return v as V
  }
  switch (task.kind) {
    case 'influence-train':
      return trainSmallLm(rowsOf(task.rows), task.config, { shared: true })
    case 'influence-gradients':
      return buildGradientSlice(get<TrainedModel>(task.model), task.rows, task.owners, task.count)
    case 'influence-score': {
      const model = get<TrainedModel>(task.model)
      return tracinScores(get<GradientSlice>(task.slice), model.lrs, testGradients(model, task.tokens))
    }
    case 'influence-retrain-eval': {
      const model = trainSmallLm(rowsOf(task.rows), task.config, { vocab: task.vocab })
      const ws = new Workspace(model.shape)
      const params = finalParams(model)
      return Float64Array.from(
        rowsOf(task.tests),
        (t) => sequenceLogProb(params, model.shape, model.vocab, t, ws).logProb,
      )
    }
  }
}
