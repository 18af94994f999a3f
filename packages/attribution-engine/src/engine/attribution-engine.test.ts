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
    expect(result.spans.length).toBeGreaterThan(0)
    expect(result.spans[0]!.evidence[0]!.contributionId).toMatch(/^c\d+-\d$/)
  })

  test('content that does not match its on-chain hash is rejected, the rest of the batch goes in', async () => {
    const good = makeContribution({
      id: 'late-good',
      contributor: contributorAddress(90),
      order: 10_000n,
      text: 'Fresh row.',
    })
    const bad = makeContribution({
      id: 'late-bad',
      contributor: contributorAddress(91),
      order: 10_001n,
      text: 'Original text.',
    })
    const tampered = { record: bad.record, content: new TextEncoder().encode('Tampered text.') }
    const report = await engine.ingest(new InMemoryContributionSource([good, tampered]))
    expect(report.accepted).toEqual(['late-good'])
    expect(report.rejected).toEqual([expect.objectContaining({ id: 'late-bad', reason: 'ContentHashMismatchError' })])
  })
})

describe('determinism and versions', () => {
  test('same output and index version give byte-identical results, also after reopening from disk', async () => {
    const text = set.outputs[1]!.text
    const a = await engine.attribute(text)
    const b = await engine.attribute(text)
    expect(JSON.stringify(b)).toBe(JSON.stringify(a))
    const total = a.contributors.reduce((s, c) => s + BigInt(c.weightWad), BigInt(a.unattributedWad))
    expect(total).toBe(10n ** 18n)
    const reopened = await AttributionEngine.open({ dir, workers: 1, params: { capBps: 10_000 } })
    try {
      expect(reopened.version).toBe(engine.version)
      expect(JSON.stringify(await reopened.attribute(text))).toBe(JSON.stringify(await engine.attribute(text)))
    } finally {
      await reopened.close()
    }
  }, 60_000)

  test('a new contribution is searchable in a delta shard right after ingest; deltas merge in the background', async () => {
    const d = mkdtempSync(join(tmpdir(), 'opl-delta-'))
    const e = await AttributionEngine.open({ dir: d, workers: 1, maxDeltas: 2 })
    try {
      await e.ingest(new InMemoryContributionSource(set.contributions.slice(0, 20)))
      const sentence = (k: number) =>
        `Delta row ${k} talks about quorum sensing in marine vibrio bacteria and their bioluminescent colonies at night.`
      const versions = new Set<string>()
      for (let k = 0; k < 4; k++) {
        const c = makeContribution({
          id: `d${k}`,
          contributor: contributorAddress(200 + k),
          order: 1000n + BigInt(k),
          text: sentence(k),
        })
        const started = performance.now()
        await e.ingest(new InMemoryContributionSource([c]))
        const r = await e.attribute(`As noted, ${sentence(k)}`)
        console.log(`delta ${k} searchable after ${(performance.now() - started).toFixed(1)} ms`)
        expect(r.contributors.map((x) => x.contributor)).toEqual([contributorAddress(200 + k)])
        versions.add(r.indexVersion)
      }
      await e.idle()
      expect(versions.size).toBe(4)
      expect(e.summary.deltas).toBeLessThanOrEqual(2)
      const r = await e.attribute(`As noted, ${sentence(0)}`)
      expect(r.contributors.map((x) => x.contributor)).toEqual([contributorAddress(200)])
    } finally {
      await e.close()
      rmSync(d, { recursive: true, force: true })
    }
  }, 60_000)

  test('the per-contributor cap holds at 50% and the excess stays unattributed when nobody can absorb it', async () => {
    const capped = await AttributionEngine.open({ dir, workers: 1 })
    try {
      // an output that is one contributor's row verbatim: uncapped weight ≈ 1
      const row = new TextDecoder().decode(set.contributions[5]!.content).split('\n')[0]!
      const r = await capped.attribute(row)
      expect(r.contributors[0]!.uncapped).toBeGreaterThan(0.9)
      expect(r.contributors).toHaveLength(1)
      expect(r.contributors[0]!.weightWad).toBe((5n * 10n ** 17n).toString())
      expect(r.unattributed).toBeCloseTo(0.5, 12)
    } finally {
      await capped.close()
    }
  }, 60_000)
})
