import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { AttributionEngine } from '../engine/attribution-engine.js'
import { InMemoryContributionSource, makeContribution } from '../ingest/in-memory-source.js'
import { splitRows } from '../ingest/split-rows.js'
import { contributorAddress, generatePlantedSet } from '../planted/generate-planted-set.js'
import { SmallModels } from './small-models.js'

const planted = generatePlantedSet({ seed: 9, contributors: 8, rowsPerContribution: 2, outputs: 2, outputWords: 60 })
const config = { vocab: 128, buckets: 1024, dim: 4, epochs: 2 }
let dir: string
let engine: AttributionEngine
const source = new InMemoryContributionSource(planted.contributions.filter((c) => !c.record.id.startsWith('copy')))
const models = (log?: { info: (o: object, m: string) => void }) =>
  new SmallModels({
    data: engine,
    pool: engine.workerPool,
    tokenizer: engine.tokenizer,
    dir: join(dir, 'models'),
    config,
    log: log as never,
  })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opl-small-models-'))
  engine = await AttributionEngine.open({ dir: join(dir, 'index'), workers: 2 })
  await engine.ingest(source)
}, 120_000)
afterAll(async () => {
  await engine?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('small models: trained on demand, persisted, retrained on new approvals', () => {
  test('the first query trains and stores the model; a restart loads it (same version, no training)', async () => {
    const events: string[] = []
    const log = { info: (_: object, m: string) => events.push(m), warn: () => undefined }
    const first = models(log)
    const v1 = await first.use(['1'], async (s) => s.version)
    expect(events).toEqual(['small model trained'])
    expect(readdirSync(join(dir, 'models')).filter((f) => f.endsWith('.slm'))).toHaveLength(1)
    // a second query on unchanged data reuses the model in memory
    expect(await first.use(['1'], async (s) => s.version)).toBe(v1)
    expect(events).toEqual(['small model trained'])
    await first.close()

    const again = models(log)
    const output = splitRows(new TextDecoder().decode(planted.contributions[0]!.content))[0]!
    const result = await again.use(['1'], (s) => s.attribute(output))
    expect(events).toEqual(['small model trained', 'small model loaded'])
    expect(result.indexVersion).toBe(v1)
    await again.close()
  }, 120_000)

  test('a new approval changes the training set: the next query retrains, the old model is kept on disk', async () => {
    const m = models()
    const v1 = await m.use(['1'], async (s) => s.version)
    source.push(
      makeContribution({
        id: 'late',
        contributor: contributorAddress(77),
        order: 10_000n,
        text: 'zorbal quint fexaly morp dravel sindu plarq vennix tolb sharn gruvo pelk.',
      }),
    )
    await engine.ingest(source)
    const v2 = await m.use(['1'], async (s) => {
      expect(s.set.contributions.map((c) => c.id)).toContain('late')
      return s.version
    })
    expect(v2).not.toBe(v1)
    expect(readdirSync(join(dir, 'models')).filter((f) => f.endsWith('.slm'))).toHaveLength(2)
    // another Datanet has no contributions: a clear error, nothing cached
    await expect(m.use(['2'], async (s) => s.version)).rejects.toThrow(/no contribution/)
    await m.close()
  }, 120_000)
})
