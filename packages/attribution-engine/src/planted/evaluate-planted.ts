import type { Address } from 'viem'
import { AttributionError } from '../errors.js'
import type { Tokenizer } from '../tokenizer/create-tokenizer.js'
import type { PlantedOutput } from './generate-planted-set.js'

/** What any attribution method predicts for one output: spans (optional) and per-contributor weights. */
export type Prediction = {
  spans?: Array<{ start: number; end: number; contributors: readonly string[] }>
  weights: ReadonlyMap<string, number>
}

export type PlantedScores = {
  outputs: number
  spanPrecision: number
  spanRecall: number
  /** mean over outputs of Σ_c |predicted weight − planted share| */
  creditL1: number
  /** mean over outputs of the weight given to contributors the output did not use */
  falseCredit: number
  /** largest weight any copier got in any output */
  copierCredit: number
}

/**
 * Scores predictions against the planted truth. Truth counts planted pieces of at least `minSpanTokens` tokens
 * (shorter pieces are below the engine's declared resolution and count as unattributed); a predicted span token
 * is correct when it lies in a planted piece and the span names that piece's owner.
 */
export function evaluatePlanted(
  tokenizer: Tokenizer,
  outputs: PlantedOutput[],
  predictions: Prediction[],
  copiers: readonly Address[],
  minSpanTokens = 10,
): PlantedScores {
  let predicted = 0
  let correct = 0
  let truthTokens = 0
  let found = 0
  let l1 = 0
  let falseCredit = 0
  let copierCredit = 0
  outputs.forEach((out, n) => {
    const pred = predictions[n]!
    const owners: Array<Address | undefined> = []
    for (const piece of out.pieces) {
      const len = tokenizer.encode(piece.text).length
      for (let k = 0; k < len; k++) owners.push(len >= minSpanTokens ? piece.owner : undefined)
    }
    const total = tokenizer.encode(out.text).length
    if (total !== owners.length)
      throw new AttributionError('pieces do not tokenize like the whole output', { total, pieces: owners.length })
    const truth = new Map<string, number>()
    for (const o of owners) if (o) truth.set(o, (truth.get(o) ?? 0) + 1 / total)
    if (pred.spans) {
      const hit = new Uint8Array(total)
      const covered = new Uint8Array(total)
      for (const s of pred.spans)
        for (let t = s.start; t < s.end; t++) {
          covered[t] = 1
          const o = owners[t]
          if (o && s.contributors.includes(o)) hit[t] = 1
        }
      for (let t = 0; t < total; t++) {
        predicted += covered[t]!
        correct += covered[t]! & hit[t]!
        if (owners[t]) {
          truthTokens++
          found += hit[t]!
        }
      }
    }
    const keys = new Set([...truth.keys(), ...pred.weights.keys()])
    for (const k of keys) l1 += Math.abs((pred.weights.get(k) ?? 0) - (truth.get(k) ?? 0))
    for (const [k, w] of pred.weights) {
      if (!out.used.includes(k as Address)) falseCredit += w
      if (copiers.includes(k as Address)) copierCredit = Math.max(copierCredit, w)
    }
  })
  const n = outputs.length
  return {
    outputs: n,
    spanPrecision: predicted === 0 ? Number.NaN : correct / predicted,
    spanRecall: truthTokens === 0 ? Number.NaN : found / truthTokens,
    creditL1: l1 / n,
    falseCredit: falseCredit / n,
    copierCredit,
  }
}
