import { seededRandom } from '../planted/random.js'
import { contextFeatures } from './context-features.js'
import { classOf, UNK } from './vocabulary.js'

/**
 * A small neural n-gram language model (Bengio et al. 2003, with hashed contexts): the embeddings of the hashed
 * context features are summed, passed through tanh, and a softmax layer predicts the next token's class.
 *
 *   a = Σ_f E[f]    h = tanh(a)    z = U·h + b    p = softmax(z)    loss = −ln p[target]
 *
 * Parameters live in one Float64Array: E (buckets × dim), then U (vocab × dim), then b (vocab). It is small
 * enough to train in seconds on CPU and has real, non-linear gradients for influence.
 */
export type ModelShape = { vocab: number; buckets: number; dim: number; orders: number }

export const paramCount = (s: ModelShape): number => s.buckets * s.dim + s.vocab * s.dim + s.vocab
/** The U and b part, which every example's gradient touches densely. */
export const denseSize = (s: ModelShape): number => s.vocab * s.dim + s.vocab

/** Gaussian initial weights (Box–Muller over the seeded PRNG); b starts at 0. */
export function initParams(shape: ModelShape, seed: number, scale: number): Float64Array {
  const rand = seededRandom(seed)
  const params = new Float64Array(paramCount(shape))
  const n = shape.buckets * shape.dim + shape.vocab * shape.dim
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rand()))
    const th = 2 * Math.PI * rand()
    params[i] = scale * r * Math.cos(th)
    if (i + 1 < n) params[i + 1] = scale * r * Math.sin(th)
  }
  return params
}

/**
 * A gradient: U and b dense (every token's softmax touches every class), E sparse (a row touches only its own
 * context buckets), kept in a dense scratch table plus the list of touched buckets so a reset is cheap.
 */
export class Gradient {
  readonly dense: Float64Array
  readonly emb: Float64Array
  readonly touched: number[] = []
  private readonly mark: Uint8Array

  constructor(readonly shape: ModelShape) {
    this.dense = new Float64Array(denseSize(shape))
    this.emb = new Float64Array(shape.buckets * shape.dim)
    this.mark = new Uint8Array(shape.buckets)
  }

  reset(): void {
    this.dense.fill(0)
    const d = this.shape.dim
    for (const f of this.touched) {
      this.emb.fill(0, f * d, (f + 1) * d)
      this.mark[f] = 0
    }
    this.touched.length = 0
  }

  addEmb(f: number, v: Float64Array): void {
    if (this.mark[f] === 0) {
      this.mark[f] = 1
      this.touched.push(f)
    }
    const d = this.shape.dim
    for (let i = 0; i < d; i++) this.emb[f * d + i]! += v[i]!
  }

  /** The full gradient in parameter order (tests, finite differences). */
  toDense(): Float64Array {
    const out = new Float64Array(paramCount(this.shape))
    out.set(this.emb, 0)
    out.set(this.dense, this.emb.length)
    return out
  }
}

/** Scratch buffers for one token's forward and backward pass, reused across tokens. */
export class Workspace {
  readonly feats: Uint32Array
  readonly h: Float64Array
  readonly gh: Float64Array
  readonly p: Float64Array

  constructor(readonly shape: ModelShape) {
    this.feats = new Uint32Array(shape.orders)
    this.h = new Float64Array(shape.dim)
    this.gh = new Float64Array(shape.dim)
    this.p = new Float64Array(shape.vocab)
  }
}

/** Forward pass for token t: fills ws.h and ws.p (probabilities); returns ln p[target] and the target class. */
export function forwardToken(
  params: Float64Array,
  shape: ModelShape,
  vocab: Uint32Array,
  tokens: ArrayLike<number>,
  t: number,
  ws: Workspace,
): { logProb: number; target: number } {
  const { dim: d, vocab: V, buckets: B, orders } = shape
  contextFeatures(tokens, t, orders, B, ws.feats)
  const h = ws.h
  h.fill(0)
  for (let o = 0; o < orders; o++) {
    const base = ws.feats[o]! * d
    for (let i = 0; i < d; i++) h[i]! += params[base + i]!
  }
  for (let i = 0; i < d; i++) h[i] = Math.tanh(h[i]!)
  const uBase = B * d
  const bBase = uBase + V * d
  const p = ws.p
  let max = Number.NEGATIVE_INFINITY
  for (let y = 0; y < V; y++) {
    let z = params[bBase + y]!
    const row = uBase + y * d
    for (let i = 0; i < d; i++) z += params[row + i]! * h[i]!
    p[y] = z
    if (z > max) max = z
  }
  let sum = 0
  for (let y = 0; y < V; y++) {
    const e = Math.exp(p[y]! - max)
    p[y] = e
    sum += e
  }
  const target = classOf(vocab, tokens[t]!)
  const logProb = Math.log(p[target]!) - Math.log(sum)
  for (let y = 0; y < V; y++) p[y]! /= sum
  return { logProb, target }
}

/**
 * Adds ∇(Σ_t −ln p(token t)) over one row to `grad`; returns the row's loss. The backward pass:
 * δ = p − onehot(target); ∂U[y] = δ_y·h; ∂b = δ; ∂a = (Uᵀδ) ⊙ (1 − h²), added to every context bucket's E row.
 */
export function accumulateGradient(
  params: Float64Array,
  shape: ModelShape,
  vocab: Uint32Array,
  tokens: ArrayLike<number>,
  grad: Gradient,
  ws: Workspace,
): number {
  const { dim: d, vocab: V, buckets: B, orders } = shape
  const uBase = B * d
  const gbBase = V * d
  const g = grad.dense
  let loss = 0
  for (let t = 0; t < tokens.length; t++) {
    const { logProb, target } = forwardToken(params, shape, vocab, tokens, t, ws)
    loss -= logProb
    const { h, gh, p } = ws
    gh.fill(0)
    for (let y = 0; y < V; y++) {
      const delta = y === target ? p[y]! - 1 : p[y]!
      const row = y * d
      for (let i = 0; i < d; i++) {
        g[row + i]! += delta * h[i]!
        gh[i]! += delta * params[uBase + row + i]!
      }
      g[gbBase + y]! += delta
    }
    for (let i = 0; i < d; i++) gh[i] = gh[i]! * (1 - h[i]! * h[i]!)
    for (let o = 0; o < orders; o++) grad.addEmb(ws.feats[o]!, gh)
  }
  return loss
}

/** θ ← θ − lr·g, touching only the E rows the gradient has. */
export function sgdStep(params: Float64Array, grad: Gradient, lr: number): void {
  const { dim: d, buckets: B } = grad.shape
  for (const f of grad.touched) for (let i = 0; i < d; i++) params[f * d + i]! -= lr * grad.emb[f * d + i]!
  const off = B * d
  const g = grad.dense
  for (let j = 0; j < g.length; j++) params[off + j]! -= lr * g[j]!
}

/** Σ_t ln p(token t) of a sequence, and per token how far the model moved from uniform towards certainty. */
export function sequenceLogProb(
  params: Float64Array,
  shape: ModelShape,
  vocab: Uint32Array,
  tokens: ArrayLike<number>,
  ws = new Workspace(shape),
): { logProb: number; explained: number } {
  let logProb = 0
  let explained = 0
  const lnV = Math.log(shape.vocab)
  for (let t = 0; t < tokens.length; t++) {
    const r = forwardToken(params, shape, vocab, tokens, t, ws)
    logProb += r.logProb
    // uniform guessing (ln p = −ln V) explains nothing, certainty (ln p = 0) everything; a token outside the
    // vocabulary is never explained by the data, however well the model predicts the UNK class
    if (r.target !== UNK) explained += Math.min(1, Math.max(0, 1 + r.logProb / lnV))
  }
  return { logProb, explained: tokens.length === 0 ? 0 : explained / tokens.length }
}
