import type { GradientSlice } from './gradient-store.js'
import { accumulateGradient, Gradient, Workspace } from './small-lm.js'
import { checkpoint, type TrainedModel } from './train.js'

/** ∇(−ln p(output)) at every checkpoint: the test side of the TracIn dot products. */
export function testGradients(model: TrainedModel, tokens: ArrayLike<number>): Gradient[] {
  const ws = new Workspace(model.shape)
  return model.lrs.map((_, k) => {
    const g = new Gradient(model.shape)
    accumulateGradient(checkpoint(model, k), model.shape, model.vocab, tokens, g, ws)
    return g
  })
}

/**
 * TracInCP (Pruthi et al. 2020) per contribution of the slice: Σ_k lr_k · ⟨∇L(contribution; θ_k), ∇L(output; θ_k)⟩.
 * Positive means the contribution's SGD steps lowered the output's loss (a proponent), negative raised it.
 * Summation order is fixed, so the scores are bit-identical wherever they are computed.
 */
export function tracinScores(slice: GradientSlice, lrs: readonly number[], test: readonly Gradient[]): Float64Array {
  const { count, checkpoints: K, denseSize: D, dim: d } = slice
  const out = new Float64Array(count)
  for (let c = 0; c < count; c++) {
    let total = 0
    for (let k = 0; k < K; k++) {
      const e = c * K + k
      const g = test[k]!
      let dot = 0
      const base = e * D
      for (let j = 0; j < D; j++) dot += slice.dense[base + j]! * g.dense[j]!
      for (let s = slice.offsets[e]!; s < slice.offsets[e + 1]!; s++) {
        const f = slice.features[s]!
        for (let i = 0; i < d; i++) dot += slice.values[s * d + i]! * g.emb[f * d + i]!
      }
      total += lrs[k]! * dot
    }
    out[c] = total
  }
  return out
}
