import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { InMemoryContributionSource, makeContribution } from '../ingest/in-memory-source.js'
import { evaluatePlanted } from '../planted/evaluate-planted.js'
import { contributorAddress, generatePlantedSet } from '../planted/generate-planted-set.js'
import { AttributionEngine } from './attribution-engine.js'

const set = generatePlantedSet({ contributors: 30, outputs: 24 })
let dir: string
let engine: AttributionEngine

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opl-attr-'))
  engine = await AttributionEngine.open({ dir, workers: 2, params: { capBps: 10_000 } })
  await engine.ingest(new InMemoryContributionSource(set.contributions))
}, 60_000)

afterAll(async () => {
  await engine?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('planted-source benchmark (small)', () => {
  test('meets the quality targets and the copiers earn nothing', async () => {
    const results = []
    for (const out of set.outputs) results.push(await engine.attribute(out.text))
    const scores = evaluatePlanted(
      engine.tokenizer,
      set.outputs,
      results.map((r) => ({
        spans: r.spans,
        weights: new Map(r.contributors.map((c) => [c.contributor, c.weight])),
      })),
      set.copiers,
    )
    console.log('planted (small):', JSON.stringify(scores))
    expect(scores.spanPrecision).toBeGreaterThanOrEqual(0.95)
    expect(scores.spanRecall).toBeGreaterThanOrEqual(0.95)
    expect(scores.creditL1).toBeLessThanOrEqual(0.05)
    expect(scores.falseCredit).toBeLessThanOrEqual(0.01)
    expect(scores.copierCredit).toBe(0)
  })
})

describe('ingestion', () => {
  test('copies are refused at ingestion and the first registration owns the text', async () => {
    const result = await engine.attribute(set.outputs[0]!.text)
    for (const span of result.spans) for (const c of set.copiers) expect(span.contributors).not.toContain(c)
  })
})
