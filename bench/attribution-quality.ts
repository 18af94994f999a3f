/**
 * Attribution quality as the literature measures it: the linear datamodeling score (LDS) of the influence scorer
 * (small neural n-gram LM, TracInCP), the span scorer and a BM25 baseline, on one planted Datanet. The small
 * model is retrained on `--subsets` random subsets of the contributions (each `--fraction` of them, seeded);
 * every method predicts each subset's effect on each test output's Σ ln p as the sum of its members' scores, and
 * LDS is the Spearman correlation of predicted and actual, averaged over the test outputs.
 *
 *   pnpm exec tsx bench/attribution-quality.ts [--seed 1] [--subsets 50] [--fraction 0.5] [--write]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  AttributionEngine,
  Bm25,
  bm25ScoresByContribution,
  generatePlantedSet,
  InfluenceScorer,
  InMemoryContributionSource,
  type LdsReport,
  linearDatamodelingScore,
  loadTrainingSet,
  randomSubsets,
  retrainOnSubsets,
  SmallModelConfig,
  spanScoresByContribution,
} from '../packages/attribution-engine/src/index.js'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const seed = Number(arg('seed', '1'))
const subsetCount = Number(arg('subsets', '50'))
const fraction = Number(arg('fraction', '0.5'))
const contributors = Number(arg('contributors', '40'))
const outputs = Number(arg('outputs', '30'))
const lines: string[] = []
const out = (s: string) => {
  console.log(s)
  lines.push(s)
}
const fmt = (x: number, d = 3) => x.toFixed(d)
const seconds = (t0: number) => (performance.now() - t0) / 1000

const planted = generatePlantedSet({
  seed: 11,
  contributors,
  contributionsPerContributor: 2,
  rowsPerContribution: 3,
  outputs,
  outputWords: 150,
})
const config = SmallModelConfig.parse({ seed })
const dir = mkdtempSync(join(tmpdir(), 'opl-bench-lds-'))
const engine = await AttributionEngine.open({ dir, workers: 2, params: { capBps: 10_000, maxEvidence: 1000 } })
try {
  await engine.ingest(new InMemoryContributionSource(planted.contributions))
  const { set } = await loadTrainingSet(new InMemoryContributionSource(planted.contributions), engine.tokenizer)
  const corpusTokens = set.contributions.reduce((a, c) => a + c.rows.reduce((b, r) => b + r.length, 0), 0)
  let t0 = performance.now()
  const scorer = await InfluenceScorer.train({ pool: engine.workerPool, tokenizer: engine.tokenizer, set, config })
  const trainS = seconds(t0)
  const tests = planted.outputs.map((o) => Uint32Array.from(engine.tokenizer.encode(o.text)))

  t0 = performance.now()
  const influence = []
  const latency: number[] = []
  for (const t of tests) {
    const q = performance.now()
    influence.push(await scorer.influences(t))
    latency.push(performance.now() - q)
  }
  const spans = await Promise.all(planted.outputs.map((o) => engine.attribute(o.text)))
  const rowOwner: number[] = []
  const rows: string[] = []
  set.contributions.forEach((c, i) => {
    for (const r of c.rows) {
      rows.push(engine.tokenizer.decode(r))
      rowOwner.push(i)
    }
  })
  const bm25 = new Bm25(rows)

  const subsets = randomSubsets(set.contributions.length, subsetCount, fraction, seed)
  t0 = performance.now()
  const actual = await retrainOnSubsets({
    pool: engine.workerPool,
    set,
    config,
    vocab: scorer.model.vocab,
    subsets,
    tests,
    onDone: (d) => process.stderr.write(`\rretrained ${d}/${subsetCount}`),
  })
  process.stderr.write('\n')
  const retrainS = seconds(t0)

  const reports: Array<[string, LdsReport]> = [
    ['influence (TracInCP, small LM)', linearDatamodelingScore(influence, subsets, actual)],
    [
      'span scorer (rarity × length)',
      linearDatamodelingScore(
        spans.map((r) => spanScoresByContribution(r, set.contributions)),
        subsets,
        actual,
      ),
    ],
    [
      'BM25 (Σ over the contribution’s rows)',
      linearDatamodelingScore(
        planted.outputs.map((o) => bm25ScoresByContribution(bm25, rowOwner, set.contributions.length, o.text)),
        subsets,
        actual,
      ),
    ],
  ]

  out(
    `# Attribution quality: linear datamodeling score\n\nnode ${process.version}, ${cpus().length} cores; ${new Date().toISOString().slice(0, 10)}`,
  )
  out(
    `\nSetup: planted Datanet (generator seed 11), ${set.contributions.length} contributions of ${contributors} contributors, ${rows.length} rows, ${corpusTokens} tokens (cl100k_base); ${tests.length} test outputs (planted outputs of ~150 words). Small model: vocab ${config.vocab}, ${config.buckets} buckets, dim ${config.dim}, orders ${config.orders}, ${config.epochs} epochs, lr ${config.lr} × ${config.lrDecay}^epoch, seed ${seed}. **${subsetCount} subsets at ${fraction * 100}% (subset seed ${seed})**; actual = Σ ln p(output) of the model retrained on the subset.\n`,
  )
  out('| method | LDS (mean Spearman) | std. error | outputs with no attribution |')
  out('|---|---|---|---|')
  for (const [name, r] of reports) {
    const n = r.perTest.length
    const sd = Math.sqrt(r.perTest.reduce((a, x) => a + (x - r.lds) ** 2, 0) / Math.max(1, n - 1))
    out(`| ${name} | ${fmt(r.lds)} | ${fmt(sd / Math.sqrt(n))} | ${r.constant} |`)
  }
  const sorted = [...latency].sort((a, b) => a - b)
  out(
    `\nCost: full training + gradient store ${fmt(trainS, 1)} s (2 workers); ${subsetCount} retrains ${fmt(retrainS, 1)} s; influence query p50 ${fmt(sorted[sorted.length >> 1]!, 1)} ms, max ${fmt(sorted.at(-1)!, 1)} ms over ${tests.length} outputs. Final training loss ${scorer.model.losses.map((l) => fmt(l, 2)).join(' → ')} nats/token.`,
  )
  out(
    `\nReproduce: \`pnpm exec tsx bench/attribution-quality.ts --seed ${seed} --subsets ${subsetCount} --fraction ${fraction} --write\``,
  )
  if (process.argv.includes('--write')) writeFileSync('bench/results/attribution-quality.md', `${lines.join('\n')}\n`)
} finally {
  await engine.close()
  rmSync(dir, { recursive: true, force: true })
}
