import { describe, expect, test } from 'vitest'
import { seededRandom } from '../planted/random.js'
import { SmallModelConfig } from './config.js'
import { accumulateGradient, Gradient, initParams, type ModelShape, sequenceLogProb, Workspace } from './small-lm.js'
import { finalParams, trainSmallLm } from './train.js'
import { buildVocabulary, classOf, UNK } from './vocabulary.js'

const shape: ModelShape = { vocab: 12, buckets: 32, dim: 5, orders: 2 }
const rand = seededRandom(42)
const rows = Array.from({ length: 6 }, () => Uint32Array.from({ length: 9 }, () => 100 + Math.floor(rand() * 15)))
const vocab = buildVocabulary(rows, shape.vocab)

function loss(params: Float64Array, tokens: Uint32Array): number {
  return -sequenceLogProb(params, shape, vocab, tokens).logProb
}

describe('small LM', () => {
  test('the vocabulary keeps the most frequent ids and sends the rest to UNK', () => {
    const v = buildVocabulary([Uint32Array.from([5, 5, 5, 9, 9, 7])], 3)
    expect(Array.from(v)).toEqual([5, 9])
    expect(classOf(v, 5)).toBe(1)
    expect(classOf(v, 9)).toBe(2)
    expect(classOf(v, 7)).toBe(UNK)
  })

  test('the analytic gradient of a row matches central finite differences on every parameter', () => {
    // trained weights, not the init, so tanh and softmax are away from their linear regime
    const cfg = SmallModelConfig.parse({ ...shape, epochs: 3, lr: 0.2, initScale: 0.5, seed: 3 })
    const params = Float64Array.from(finalParams(trainSmallLm(rows, cfg)))
    const grad = new Gradient(shape)
    const row = rows[2]!
    const l = accumulateGradient(params, shape, vocab, row, grad, new Workspace(shape))
    expect(l).toBeCloseTo(loss(params, row), 12)
    const g = grad.toDense()
    const eps = 1e-6
    let worst = 0
    let nonzero = 0
    for (let j = 0; j < params.length; j++) {
      const keep = params[j]!
      params[j] = keep + eps
      const up = loss(params, row)
      params[j] = keep - eps
      const down = loss(params, row)
      params[j] = keep
      const fd = (up - down) / (2 * eps)
      if (Math.abs(fd) > 1e-6) nonzero++
      worst = Math.max(worst, Math.abs(fd - g[j]!) / Math.max(1e-4, Math.abs(fd) + Math.abs(g[j]!)))
    }
    expect(nonzero).toBeGreaterThan(60) // E rows of the touched buckets, all of U and b
    expect(worst).toBeLessThan(1e-6)
  })

  test('training lowers the loss and is bit-identical for the same seed, different for another seed', () => {
    const cfg = SmallModelConfig.parse({ ...shape, epochs: 4, lr: 0.3 })
    const a = trainSmallLm(rows, cfg)
    const b = trainSmallLm(rows, cfg)
    const c = trainSmallLm(rows, { ...cfg, seed: 2 })
    const initLoss = rows.reduce((acc, r) => acc + loss(initParams(shape, cfg.seed, cfg.initScale), r), 0) / 54
    for (let e = 1; e < a.losses.length; e++) expect(a.losses[e]!).toBeLessThan(a.losses[e - 1]!)
    expect(a.losses.at(-1)!).toBeLessThan(initLoss * 0.9)
    expect(Buffer.from(a.params.buffer).equals(Buffer.from(b.params.buffer))).toBe(true)
    expect(Buffer.from(a.params.buffer).equals(Buffer.from(c.params.buffer))).toBe(false)
    expect(a.lrs).toEqual([0.3, 0.3 * 0.7, 0.3 * 0.7 ** 2, 0.3 * 0.7 ** 3])
  })

  test('a row the model was trained on is explained more than the same tokens shuffled', () => {
    const cfg = SmallModelConfig.parse({ ...shape, epochs: 6, lr: 0.2 })
    const params = finalParams(trainSmallLm(rows, cfg))
    const seen = sequenceLogProb(params, shape, vocab, rows[0]!)
    const shuffled = Uint32Array.from(rows[0]!).reverse()
    const unseen = sequenceLogProb(params, shape, vocab, shuffled)
    expect(seen.logProb).toBeGreaterThan(unseen.logProb)
    expect(seen.explained).toBeGreaterThan(unseen.explained)
    expect(initParams(shape, 1, 0.1).length).toBe(32 * 5 + 12 * 5 + 12)
  })
})
