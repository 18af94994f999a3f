import { spearman } from './spearman.js'

export type LdsReport = {
  /** mean over test outputs of the per-output Spearman correlation */
  lds: number
  perTest: number[]
  /** outputs whose predictions were constant across subsets (no attribution at all): counted as 0 */
  constant: number
}

/**
 * Linear datamodeling score (Park et al. 2023, TRAK): for every test output, the attribution method predicts a
 * subset's effect as the sum of its members' scores; LDS is the Spearman correlation, across subsets, of those
 * predictions with the outputs measured after actually retraining on each subset, averaged over outputs.
 *
 * `scores[t][i]` is unit i's score for output t; `subsets[s][i]` is 1 when unit i was kept in retrain s;
 * `actual[s][t]` is output t's measured value (Σ ln p) under the model retrained on subset s.
 */
export function linearDatamodelingScore(
  scores: readonly ArrayLike<number>[],
  subsets: readonly Uint8Array[],
  actual: readonly ArrayLike<number>[],
): LdsReport {
  const perTest: number[] = []
  let constant = 0
  scores.forEach((tau, t) => {
    const predicted = subsets.map((mask) => {
      let sum = 0
      for (let i = 0; i < mask.length; i++) if (mask[i] === 1) sum += tau[i]!
      return sum
    })
    const rho = spearman(
      predicted,
      actual.map((a) => a[t]!),
    )
    if (Number.isNaN(rho)) constant++
    perTest.push(Number.isNaN(rho) ? 0 : rho)
  })
  return { lds: perTest.reduce((a, b) => a + b, 0) / Math.max(1, perTest.length), perTest, constant }
}
