import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { AttributionEngine } from '../engine/attribution-engine.js'
import { SmallModels } from '../influence/small-models.js'
import { InMemoryContributionSource } from '../ingest/in-memory-source.js'
import { contributorAddress, generatePlantedSet } from '../planted/generate-planted-set.js'
import { verifyClaim } from '../settlement/claims-tree.js'
import { EpochBook } from '../settlement/epoch-book.js'
import { RecordingSettler } from '../settlement/settler.js'
import { Attributor } from './attributor.js'
import { createAttributionServer } from './http-server.js'
import { createMetrics } from './metrics.js'
import { ResultStore } from './result-store.js'

const set = generatePlantedSet({ contributors: 10, outputs: 3 })
let dir: string
let engine: AttributionEngine
let server: ReturnType<typeof createAttributionServer>
let base: string
let smallModels: SmallModels
let results: ResultStore
const resultsPath = () => join(dir, 'results', 'attributions.jsonl')

/** The API over `engine` with the result store at `resultsPath()` (reopened, as a restarted service does). */
async function startServer(): Promise<void> {
  results = await ResultStore.open(resultsPath())
  server = createAttributionServer({
    engine,
    epochs: new EpochBook(new RecordingSettler()),
    metrics: createMetrics(engine),
    log: pino({ level: 'silent' }),
    maxBodyBytes: 1 << 20,
    defaultTreasury: contributorAddress(999),
    results,
    attributor: new Attributor({ engine, smallModels, influenceModels: new Set(['small-1']) }),
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function stopServer(): Promise<void> {
  await new Promise((r) => server?.close(r))
  await results?.close()
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opl-http-'))
  engine = await AttributionEngine.open({ dir, workers: 1 })
  await engine.ingest(new InMemoryContributionSource(set.contributions))
  smallModels = new SmallModels({
    data: engine,
    pool: engine.workerPool,
    tokenizer: engine.tokenizer,
    config: { vocab: 128, buckets: 1024, dim: 4, epochs: 2 },
  })
  await startServer()
}, 60_000)

afterAll(async () => {
  await stopServer()
  await smallModels?.close()
  await engine?.close()
  rmSync(dir, { recursive: true, force: true })
})

const post = (path: string, body: unknown) =>
  fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) })

describe('HTTP API', () => {
  test('attribute, fetch by id, settle the epoch and serve claim proofs that verify', async () => {
    const output = set.outputs[0]!
    const res = await post('/v1/attributions', {
      output: output.text,
      inferenceId: 'inf-1',
      charge: {
        modelId: 'm1',
        modelOwner: contributorAddress(500),
        inTokens: '1000',
        rateInWei: '1000000000000000000',
        rateOutWei: '1000000000000000000',
      },
    })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      id: string
      result: { digest: string; contributors: Array<{ contributor: string }> }
    }
    expect(body.id).toBe('inf-1')
    const used = body.result.contributors.map((c) => c.contributor)
    expect(used.length).toBeGreaterThan(0)
    for (const c of used) expect(output.used).toContain(c)

    const again = await fetch(`${base}/v1/attributions/inf-1`)
    expect(((await again.json()) as { result: { digest: string } }).result.digest).toBe(body.result.digest)

    const epoch = (await (await post('/v1/epochs', {})).json()) as {
      epoch: number
      claimsRoot: string
      inferences: number
    }
    expect(epoch).toMatchObject({ epoch: 1, inferences: 1 })
    const claims = (await (await fetch(`${base}/v1/claims/${used[0]}`)).json()) as {
      claims: Array<{
        account: `0x${string}`
        amount: string
        root: `0x${string}`
        proof: `0x${string}`[]
        epoch: number
        index: number
      }>
    }
    expect(claims.claims[0]!.root).toBe(epoch.claimsRoot)
    expect(verifyClaim(claims.claims[0]!)).toBe(true)
  })

  test('errors carry a class name and status; health and metrics answer', async () => {
    const bad = await post('/v1/attributions', { output: '' })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: string }).error).toBe('InvalidInputError')
    expect((await fetch(`${base}/v1/attributions/nope`)).status).toBe(404)
    expect((await fetch(`${base}/v1/claims/${contributorAddress(777)}`)).status).toBe(404)
    const health = (await (await fetch(`${base}/healthz`)).json()) as { ok: boolean; tokens: number }
    expect(health.ok).toBe(true)
    expect(health.tokens).toBeGreaterThan(1000)
    // off chain there is nothing to wait for: ready as soon as it serves
    const ready = await fetch(`${base}/readyz`)
    expect([ready.status, await ready.json()]).toEqual([200, { ok: true }])
    const metrics = await (await fetch(`${base}/metrics`)).text()
    expect(metrics).toMatch(/opl_attribution_query_seconds_count 1/)
    expect(metrics).toMatch(/opl_attribution_index_tokens \d+/)
  })

  test('influence: chosen by the request or by a configured small model, booked through the same epochs', async () => {
    const output = set.outputs[1]!
    const charge = {
      modelId: 'small-1',
      modelOwner: contributorAddress(500),
      inTokens: '100',
      rateInWei: '1000000000000000000',
      rateOutWei: '1000000000000000000',
    }
    type Body = { method: string; payouts: Record<string, string>; result: { indexVersion: string; digest: string } }
    const byModel = (await (await post('/v1/attributions', { output: output.text, charge })).json()) as Body
    expect(byModel.method).toBe('influence')
    expect(Object.keys(byModel.payouts).length).toBeGreaterThan(0)
    const byRequest = (await (
      await post('/v1/attributions', { output: output.text, scorer: 'influence' })
    ).json()) as Body
    expect(byRequest.method).toBe('influence')
    // same model (same training set), same output: the same digest
    expect(byRequest.result.digest).toBe(byModel.result.digest)
    expect(byRequest.result.indexVersion).not.toBe(engine.version)
    const span = (await (await post('/v1/attributions', { output: output.text })).json()) as Body
    expect(span.method).toBe('span')
    expect(span.result.indexVersion).toBe(engine.version)
    const wrong = await post('/v1/attributions', { output: output.text, scorer: 'gradient' })
    expect(wrong.status).toBe(400)
  }, 120_000)

  test('results survive a restart: the same result (same digest) is served from disk', async () => {
    const res = await post('/v1/attributions', { output: set.outputs[2]!.text, inferenceId: 'inf-restart' })
    const posted = (await res.json()) as { result: { digest: string } }
    await stopServer()
    await startServer()
    const again = await fetch(`${base}/v1/attributions/inf-restart`)
    expect(again.status).toBe(200)
    expect(((await again.json()) as { result: { digest: string } }).result.digest).toBe(posted.result.digest)
    // every result answered before the restart is back, the first test's too
    const first = (await (await fetch(`${base}/v1/attributions/inf-1`)).json()) as { id: string; method: string }
    expect(first).toMatchObject({ id: 'inf-1', method: 'span' })
  }, 60_000)
})
