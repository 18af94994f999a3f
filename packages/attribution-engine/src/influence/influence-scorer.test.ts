import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { InMemoryContributionSource } from '../ingest/in-memory-source.js'
import { splitRows } from '../ingest/split-rows.js'
import { generatePlantedSet } from '../planted/generate-planted-set.js'
import { createShardPool } from '../pool/create-shard-pool.js'
import type { ShardTask } from '../pool/shard-task.js'
import type { WorkerPool } from '../pool/worker-pool.js'
import { WAD } from '../scoring/attribution-result.js'
import { createTokenizer } from '../tokenizer/create-tokenizer.js'
import { buildGradientSlice } from './gradient-store.js'
import { InfluenceScorer } from './influence-scorer.js'
import { testGradients, tracinScores } from './tracin.js'
import { packRows } from './train.js'
import { loadTrainingSet, type TrainingSet } from './training-set.js'

const tokenizer = createTokenizer()
const planted = generatePlantedSet({ seed: 5, contributors: 12, rowsPerContribution: 2, outputs: 6, outputWords: 80 })
const config = { vocab: 256, buckets: 2048, dim: 8, epochs: 3, lr: 0.05 }
let pool: WorkerPool<ShardTask>
let set: TrainingSet
let scorer: InfluenceScorer

beforeAll(async () => {
  pool = createShardPool({ size: 2, timeoutMs: 120_000 })
  await pool.ready()
  set = (await loadTrainingSet(new InMemoryContributionSource(planted.contributions), tokenizer)).set
  scorer = await InfluenceScorer.train({ pool, tokenizer, set, config, params: { sliceSize: 7, capBps: 10_000 } })
}, 120_000)
afterAll(async () => {
  await pool?.close()
})

const textOf = (id: string) => new TextDecoder().decode(planted.contributions.find((c) => c.record.id === id)!.content)

describe('influence scorer', () => {
  test('copiers are refused at ingestion, so the model trains only on first registrations', () => {
    expect(set.contributions.map((c) => c.id)).not.toContain('copy-verbatim')
    expect(set.contributions.length).toBe(24)
  })

  test('a row quoted as the output makes its contribution the top influence, for every contribution tried', async () => {
    for (const id of ['c0-0', 'c3-1', 'c7-0', 'c11-1']) {
      const output = splitRows(textOf(id))[1]!
      const influence = await scorer.influences(Uint32Array.from(tokenizer.encode(output)))
      const top = [...influence.keys()].sort((a, b) => influence[b]! - influence[a]!)[0]!
      expect(set.contributions[top]!.id).toBe(id)
      const result = await scorer.attribute(output)
      expect(result.evidence[0]!.contributionId).toBe(id)
      const owner = set.contributions[top]!.contributor
      const best = result.contributors.reduce((a, b) => (b.weight > a.weight ? b : a))
      expect(best.contributor).toBe(owner)
    }
  }, 60_000)

  test('only positive influence pays, and weights plus unattributed sum to exactly 1e18', async () => {
    const result = await scorer.attribute(planted.outputs[0]!.text)
    const influence = await scorer.influences(Uint32Array.from(tokenizer.encode(planted.outputs[0]!.text)))
    const byId = new Map(set.contributions.map((c, i) => [c.id, influence[i]!]))
    expect(result.negativeInfluence).toBeLessThan(0) // some contributions hurt this output
    const paid = new Set(result.contributors.map((c) => c.contributor))
    for (const c of set.contributions) {
      const contributorPositive = set.contributions.some((o) => o.contributor === c.contributor && byId.get(o.id)! > 0)
      expect(paid.has(c.contributor)).toBe(contributorPositive)
    }
    for (const w of result.contributors) for (const id of w.contributions) expect(byId.get(id)!).toBeGreaterThan(0)
    const sum = result.contributors.reduce((a, c) => a + BigInt(c.weightWad), BigInt(result.unattributedWad))
    expect(sum).toBe(WAD)
    expect(result.unattributed).toBeCloseTo(1 - result.explained, 9)
    expect(result.explained).toBeGreaterThan(0.05)
  }, 60_000)

  test('scores from the pool are bit-identical to the same computation on this thread', async () => {
    const tokens = Uint32Array.from(tokenizer.encode(planted.outputs[1]!.text))
    const fromPool = await scorer.influences(tokens)
    const owners = Uint32Array.from(set.contributions.flatMap((c, i) => c.rows.map(() => i)))
    const slice = buildGradientSlice(
      scorer.model,
      packRows(set.contributions.flatMap((c) => c.rows)),
      owners,
      set.contributions.length,
    )
    const here = tracinScores(slice, scorer.model.lrs, testGradients(scorer.model, tokens))
    expect(Array.from(fromPool)).toEqual(Array.from(here))
  }, 60_000)

  test('training and scoring again in a fresh pool gives the same model version and result digest', async () => {
    const other = createShardPool({ size: 1, timeoutMs: 120_000 })
    try {
      await other.ready()
      const params = { sliceSize: 7, capBps: 10_000 }
      const again = await InfluenceScorer.train({ pool: other, tokenizer, set, config, params })
      expect(again.version).toBe(scorer.version)
      const a = await scorer.attribute(planted.outputs[2]!.text)
      const b = await again.attribute(planted.outputs[2]!.text)
      expect(b.digest).toBe(a.digest)
      const changed = await InfluenceScorer.train({ pool: other, tokenizer, set, config: { ...config, seed: 9 } })
      expect(changed.version).not.toBe(scorer.version)
    } finally {
      await other.close()
    }
  }, 120_000)
})
