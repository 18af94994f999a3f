import { concatRows } from '../index/shard.js'
import { seededRandom } from '../planted/random.js'
import type { SmallModelConfig } from './config.js'
import {
  accumulateGradient,
  Gradient,
  initParams,
  type ModelShape,
  paramCount,
  sgdStep,
  Workspace,
} from './small-lm.js'
import { buildVocabulary } from './vocabulary.js'

/** Rows as one token array and row boundaries (cheap to send to a worker). */
export type RowsInput = { tokens: Uint32Array; offsets: Uint32Array }

/**
 * A trained model with its checkpoints: `params` holds `lrs.length` parameter vectors back to back, the state at
 * the end of each epoch, and `lrs[k]` is the step size of that epoch (TracInCP weights checkpoint k by it).
 * Arrays may live in shared memory so workers read them without copies.
 */
export type TrainedModel = {
  shape: ModelShape
  vocab: Uint32Array
  params: Float64Array
  lrs: number[]
  /** mean training loss per token of each epoch (diagnostics) */
  losses: number[]
}

export const rowsOf = (input: RowsInput): Uint32Array[] =>
  Array.from({ length: input.offsets.length - 1 }, (_, i) =>
    input.tokens.subarray(input.offsets[i]!, input.offsets[i + 1]!),
  )

/** Rows packed for a worker: the shard builder's row concatenation, without row ids and dedupe keys. */
export function packRows(rows: readonly Uint32Array[]): RowsInput {
  const { tokens, offsets } = concatRows(rows, [], [])
  return { tokens, offsets }
}

export const checkpoint = (m: TrainedModel, k: number): Float64Array => {
  const P = paramCount(m.shape)
  return m.params.subarray(k * P, (k + 1) * P)
}

export const finalParams = (m: TrainedModel): Float64Array => checkpoint(m, m.lrs.length - 1)

/**
 * Plain SGD, one step per row (each row's summed token loss), rows shuffled per epoch by the seeded PRNG, step
 * size lr·lrDecay^epoch. Plain SGD keeps TracIn's first-order story exact: each epoch moves the parameters by
 * −lr Σ_rows ∇L(row), so the checkpoint dot products estimate each row's share of the change in test loss.
 * The same rows and config give bit-identical parameters. `vocab` fixes the output classes (LDS retrains keep the
 * full model's classes, so only the data changes between them, not the architecture).
 */
export function trainSmallLm(
  rows: readonly ArrayLike<number>[],
  config: SmallModelConfig,
  options: { shared?: boolean; vocab?: Uint32Array } = {},
): TrainedModel {
  const shape: ModelShape = { vocab: config.vocab, buckets: config.buckets, dim: config.dim, orders: config.orders }
  const vocab = options.vocab ?? buildVocabulary(rows, shape.vocab)
  const params = initParams(shape, config.seed, config.initScale)
  const P = params.length
  const alloc = (n: number) => (options.shared ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n))
  const checkpoints = alloc(P * config.epochs)
  const grad = new Gradient(shape)
  const ws = new Workspace(shape)
  const order = Array.from(rows, (_, i) => i)
  const rand = seededRandom(config.seed ^ 0x5eed)
  const lrs: number[] = []
  const losses: number[] = []
  let tokens = 0
  for (const r of rows) tokens += r.length
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1))
      ;[order[i], order[j]] = [order[j]!, order[i]!]
    }
    const lr = config.lr * config.lrDecay ** epoch
    let loss = 0
    for (const r of order) {
      grad.reset()
      loss += accumulateGradient(params, shape, vocab, rows[r]!, grad, ws)
      sgdStep(params, grad, lr)
    }
    checkpoints.set(params, epoch * P)
    lrs.push(lr)
    losses.push(tokens === 0 ? 0 : loss / tokens)
  }
  const sharedVocab = options.shared ? new Uint32Array(new SharedArrayBuffer(vocab.length * 4)) : vocab
  if (sharedVocab !== vocab) sharedVocab.set(vocab)
  return { shape, vocab: sharedVocab, params: checkpoints, lrs, losses }
}
