import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { DaServerConfig } from './config.js'
import { type DaServer, startDaServer } from './http-server.js'
import { routeLabel } from './metrics.js'

const dir = mkdtempSync(join(tmpdir(), 'opl-da-metrics-'))
let server: DaServer

beforeAll(async () => {
  server = await startDaServer({ config: DaServerConfig.parse({ dataDir: dir, port: 0, logLevel: 'silent' }) })
})

afterAll(async () => {
  await server?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The value of one sample line (`name{labels} value`) in Prometheus text. */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `))
  return found === undefined ? undefined : Number(found.slice(line.length + 1))
}

test('/healthz answers like the other services; /metrics counts puts, bytes, reads by status and blobs held', async () => {
  const health = await fetch(`${server.url}/healthz`)
  expect(health.status).toBe(200)
  expect(await health.json()).toEqual({ ok: true, blobs: 0 })

  const payload = new Uint8Array(1_000).fill(7)
  const put = await fetch(`${server.url}/put`, { method: 'POST', body: payload })
  expect(put.status).toBe(200)
  const commitment = Buffer.from(await put.arrayBuffer()).toString('hex')
  expect((await fetch(`${server.url}/get/0x${commitment}`)).status).toBe(200)
  expect((await fetch(`${server.url}/get/0x01000000`)).status).toBeGreaterThanOrEqual(400)

  const res = await fetch(`${server.url}/metrics`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
  const text = await res.text()
  expect(sample(text, 'opl_da_server_puts_total{mode="optimism_generic"}')).toBe(1)
  expect(sample(text, 'opl_da_server_put_bytes_total')).toBe(1_000)
  expect(sample(text, 'opl_da_server_gets_total{status="200"}')).toBe(1)
  expect(sample(text, 'opl_da_server_blobs')).toBe(1)
  expect(text).toContain('opl_da_server_request_seconds_count{route="/get/:x",status="200"} 1')
})

test('route labels never carry a commitment', () => {
  expect(routeLabel('/get/0x010000abcdef')).toBe('/get/:x')
  expect(routeLabel('/put/0x00aa')).toBe('/put/:x')
  expect(routeLabel('/put')).toBe('/put')
  expect(routeLabel('/anything/else')).toBe('other')
})
