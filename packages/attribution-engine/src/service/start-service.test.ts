import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { afterAll, expect, test } from 'vitest'
import { AttributionEngine } from '../engine/attribution-engine.js'
import { InMemoryContributionSource } from '../ingest/in-memory-source.js'
import { generatePlantedSet } from '../planted/generate-planted-set.js'
import { AttributionConfig } from './config.js'
import { startAttributionService } from './start-service.js'

const dir = mkdtempSync(join(tmpdir(), 'opl-service-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('an answered attribution is served with the same digest after the service restarts', async () => {
  const set = generatePlantedSet({ contributors: 4, outputs: 1 })
  const engine = await AttributionEngine.open({ dir, workers: 1 })
  await engine.ingest(new InMemoryContributionSource(set.contributions))
  await engine.close()
  const config = AttributionConfig.parse({ indexDir: dir, port: '0', workers: '1' })
  const log = pino({ level: 'silent' })

  const first = await startAttributionService({ config, log })
  const res = await fetch(`${first.url}/v1/attributions`, {
    method: 'POST',
    body: JSON.stringify({ output: set.outputs[0]!.text, inferenceId: 'restart-1' }),
  })
  expect(res.status).toBe(200)
  const posted = (await res.json()) as { result: { digest: string; contributors: unknown[] } }
  expect(posted.result.contributors.length).toBeGreaterThan(0)
  await first.stop()

  const second = await startAttributionService({ config, log })
  try {
    const again = await fetch(`${second.url}/v1/attributions/restart-1`)
    expect(again.status).toBe(200)
    expect(((await again.json()) as { result: { digest: string } }).result).toEqual(posted.result)
  } finally {
    await second.stop()
  }
}, 120_000)
