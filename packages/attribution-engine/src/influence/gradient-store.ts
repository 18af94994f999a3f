import { accumulateGradient, denseSize, Gradient, type ModelShape, Workspace } from './small-lm.js'
import { checkpoint, type RowsInput, rowsOf, type TrainedModel } from './train.js'

/**
 * Per-contribution training gradients at every checkpoint, for one slice of contributions, in Float32 (half the
 * memory; dot products still accumulate in Float64). Entry e = c·K + k is contribution c at checkpoint k:
 * `dense` holds its U and b part, and `features[offsets[e]..offsets[e+1])` with `values` (dim per feature) its
 * sparse E part. Arrays live in SharedArrayBuffers, so every worker reads one copy.
 */
export type GradientSlice = {
  count: number
  checkpoints: number
  dim: number
  denseSize: number
  dense: Float32Array
  offsets: Uint32Array
  features: Uint32Array
  values: Float32Array
}

/** Bytes a contribution's gradients take, before they are computed (for the memory budget). */
export function estimateGradientBytes(shape: ModelShape, checkpoints: number, tokens: number): number {
  const sparse = Math.min(tokens * shape.orders, shape.buckets)
  return checkpoints * (denseSize(shape) * 4 + sparse * (4 + 4 * shape.dim) + 4)
}

/**
 * The gradient of each contribution's summed row losses at each checkpoint. `owners[r]` is the slice-local
 * contribution of row r. Memory grows with the slice only: the scratch gradient is reused.
 */
export function buildGradientSlice(
  model: TrainedModel,
  rows: RowsInput,
  owners: Uint32Array,
  count: number,
): GradientSlice {
  const { shape } = model
  const K = model.lrs.length
  const D = denseSize(shape)
  const d = shape.dim
  const byOwner: Uint32Array[][] = Array.from({ length: count }, () => [])
  rowsOf(rows).forEach((r, i) => {
    byOwner[owners[i]!]!.push(r)
  })
  const dense = new Float32Array(new SharedArrayBuffer(count * K * D * 4))
  const offsets = new Uint32Array(new SharedArrayBuffer((count * K + 1) * 4))
  const feats: number[] = []
  const vals: number[] = []
  const grad = new Gradient(shape)
  const ws = new Workspace(shape)
  for (let c = 0; c < count; c++)
    for (let k = 0; k < K; k++) {
      const params = checkpoint(model, k)
      grad.reset()
      for (const r of byOwner[c]!) accumulateGradient(params, shape, model.vocab, r, grad, ws)
      const e = c * K + k
      dense.set(grad.dense, e * D)
      const touched = [...grad.touched].sort((a, b) => a - b)
      for (const f of touched) {
        feats.push(f)
        for (let i = 0; i < d; i++) vals.push(grad.emb[f * d + i]!)
      }
      offsets[e + 1] = feats.length
    }
  const features = new Uint32Array(new SharedArrayBuffer(feats.length * 4))
  features.set(feats)
  const values = new Float32Array(new SharedArrayBuffer(vals.length * 4))
  values.set(vals)
  return { count, checkpoints: K, dim: d, denseSize: D, dense, offsets, features, values }
}
