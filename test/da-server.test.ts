import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bytesToHex, keccak256 } from 'viem'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import {
  type DaServer,
  DaServerConfig,
  type DaServerConfigInput,
  startDaServer,
} from '../packages/da-server/src/index.js'
import {
  commitmentToHex,
  DEV_CERT_LENGTH,
  decodeCommitment,
  decodeDevCert,
  decodeEigenDaCommitment,
  devCertCommitment,
  eigenDaCommitment,
  encodeDevCert,
  keccakCommitment,
} from '../packages/protocol/src/index.js'

let dir: string
const servers: DaServer[] = []

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opl-da-'))
})
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close()
  await rm(dir, { recursive: true, force: true })
})

async function start(overrides: DaServerConfigInput = {}, now?: () => number): Promise<DaServer> {
  const config = DaServerConfig.parse({ dataDir: dir, port: 0, logLevel: 'silent', ...overrides })
  const server = await startDaServer({ config, ...(now ? { now } : {}) })
  servers.push(server)
  return server
}

function payload(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size)
  let x = seed
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    out[i] = x >>> 24
  }
  out[0] = 0x00 // batcher payloads start with derivation version 0
  return out
}

async function put(server: DaServer, data: Uint8Array, path = '/put'): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    body: data,
    headers: { 'content-type': 'application/octet-stream' },
  })
}

async function get(server: DaServer, key: string): Promise<Response> {
  return fetch(`${server.url}/get/${key}`)
}

const bytesOf = async (res: Response) => new Uint8Array(await res.arrayBuffer())

describe('da-server: eigenda-proxy protocol', () => {
  test('POST /put returns raw commitment bytes 01 00 01 <dev cert> binding the data, GET /get returns the data', async () => {
    const server = await start()
    const data = payload(10_000)
    const res = await put(server, data)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    const commitment = await bytesOf(res)
    expect(commitment.length).toBe(3 + DEV_CERT_LENGTH)
    expect([...commitment.subarray(0, 3)]).toEqual([0x01, 0x00, 0x01])
    const decoded = decodeCommitment(commitment)
    if (decoded.type !== 'generic') throw new Error('expected a generic commitment')
    const cert = decodeDevCert(decodeEigenDaCommitment(decoded).cert)
    expect(cert).toEqual({ dataHash: keccak256(data), dataLength: data.length })

    const withPrefix = await get(server, bytesToHex(commitment))
    expect(withPrefix.status).toBe(200)
    expect(await bytesOf(withPrefix)).toEqual(data)
    const withoutPrefix = await get(server, bytesToHex(commitment).slice(2))
    expect(await bytesOf(withoutPrefix)).toEqual(data)
  })

  test('POST /put/ (trailing slash) is the same route; an empty body is stored too', async () => {
    const server = await start()
    const res = await put(server, new Uint8Array(), '/put/')
    expect(res.status).toBe(200)
    const commitment = await bytesOf(res)
    expect(bytesToHex(commitment)).toBe(commitmentToHex(devCertCommitment(new Uint8Array())))
    const back = await get(server, bytesToHex(commitment))
    expect(back.status).toBe(200)
    expect((await bytesOf(back)).length).toBe(0)
  })

  test('keccak mode: POST /put/0x00<keccak> stores, GET returns; a body that does not hash to it is 400', async () => {
    const server = await start()
    const data = payload(500, 7)
    const key = commitmentToHex(keccakCommitment(data))
    const res = await put(server, data, `/put/${key}`)
    expect(res.status).toBe(200)
    expect((await bytesOf(res)).length).toBe(0)
    expect(await bytesOf(await get(server, key))).toEqual(data)
    const wrong = await put(server, payload(500, 8), `/put/${key}`)
    expect(wrong.status).toBe(400)
    expect(((await wrong.json()) as { error: string }).error).toContain('does not hash')
  })

  test('standard commitment mode returns <version><cert> and reads it back', async () => {
    const server = await start()
    const data = payload(300, 3)
    const res = await fetch(`${server.url}/put?commitment_mode=standard`, { method: 'POST', body: data })
    const cert = await bytesOf(res)
    expect(cert[0]).toBe(0x01)
    expect(cert.length).toBe(1 + DEV_CERT_LENGTH)
    const back = await fetch(`${server.url}/get/${bytesToHex(cert)}?commitment_mode=standard`)
    expect(await bytesOf(back)).toEqual(data)
  })

  test('GET /health answers 200', async () => {
    const server = await start()
    const res = await fetch(`${server.url}/health`)
    expect(res.status).toBe(200)
  })

  test('GET /readyz is 200 while puts can succeed, 503 while puts fail over or the store is not writable', async () => {
    const server = await start({ adminApi: true })
    const ready = await fetch(`${server.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ ok: true, store: { ok: true }, putsFailing: false })
    const patch = (on: boolean) =>
      fetch(`${server.url}/memstore/config`, { method: 'PATCH', body: JSON.stringify({ PutReturnsFailoverError: on }) })
    await patch(true)
    const failing = await fetch(`${server.url}/readyz`)
    expect(failing.status).toBe(503)
    expect(await failing.json()).toMatchObject({ ok: false, putsFailing: true })
    await patch(false)
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
    await rm(dir, { recursive: true, force: true })
    const gone = await fetch(`${server.url}/readyz`)
    expect(gone.status).toBe(503)
    expect(await gone.json()).toMatchObject({ ok: false, store: { ok: false, error: 'ENOENT' } })
  })
})

describe('da-server: bad input is 400 and stores nothing', () => {
  test.each([
    ['not hex', 'zz11'],
    ['odd-length hex', '0x010'],
    ['unknown commitment type 0x02', '0x02aabb'],
    ['empty commitment', '0x'],
    ['keccak commitment of 31 bytes', `0x00${'ab'.repeat(31)}`],
    ['generic commitment for Celestia (da_layer 0x0c)', '0x010c01aa'],
    ['unknown EigenDA cert version 0x07', '0x010007aa'],
    ['EigenDA V1 cert (0x00), which this server never issues', '0x010000aa'],
    ['V2 cert that is not a dev cert', `0x010001${'c0'.repeat(45)}`],
  ])('GET /get with %s → 400', async (_, key) => {
    const server = await start()
    const res = await get(server, key)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error.length).toBeGreaterThan(0)
  })

  test('a body over 16 MiB is 400, and the store is unchanged', async () => {
    const server = await start()
    const res = await put(server, new Uint8Array(16 * 1024 * 1024 + 1))
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toContain('max blob size')
    expect(server.store.count).toBe(0)
    // Exactly 16 MiB is accepted.
    const max = await put(server, new Uint8Array(16 * 1024 * 1024))
    expect(max.status).toBe(200)
    expect(server.store.count).toBe(1)
  })

  test('bad query l1_inclusion_block_number → 400; wrong method → 405; unknown route → 404', async () => {
    const server = await start()
    const commitment = bytesToHex(await bytesOf(await put(server, payload(10))))
    expect((await fetch(`${server.url}/get/${commitment}?l1_inclusion_block_number=abc`)).status).toBe(400)
    expect((await fetch(`${server.url}/get/${commitment}?l1_inclusion_block_number=12`)).status).toBe(200)
    expect((await fetch(`${server.url}/put`)).status).toBe(405)
    expect((await fetch(`${server.url}/nope`)).status).toBe(404)
  })
})

describe('da-server: not found and cert verification', () => {
  test('an unknown commitment is 404 by default and 500 with notFoundStatus 500 (memstore behaviour)', async () => {
    const key = commitmentToHex(devCertCommitment(payload(64, 99)))
    const server = await start()
    const res = await get(server, key)
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: string }).error).toContain('no data stored')
    await server.close()
    servers.length = 0
    const memstoreLike = await start({ notFoundStatus: 500 })
    expect((await get(memstoreLike, key)).status).toBe(500)
  })

  test('a cert whose length does not match the stored data is 418', async () => {
    const server = await start()
    const data = payload(1000, 5)
    await put(server, data)
    const lying = eigenDaCommitment({
      certVersion: 0x01,
      cert: encodeDevCert({ dataHash: keccak256(data), dataLength: data.length + 1 }),
    })
    const res = await get(server, commitmentToHex(lying))
    expect(res.status).toBe(418)
    expect((await res.json()) as { field: string }).toMatchObject({ field: 'dataLength' })
  })

  test('data damaged on disk fails verification with 418 instead of being served', async () => {
    const server = await start()
    const data = payload(1000, 6)
    const commitment = bytesToHex(await bytesOf(await put(server, data)))
    const file = server.store.pathOf(keccak256(data))
    const bytes = await readFile(file)
    bytes[bytes.length - 1]! ^= 0xff
    await writeFile(file, bytes)
    server.store.evict(keccak256(data))
    expect((await get(server, commitment)).status).toBe(418)
    expect(server.service.stats.certFailures).toBe(1)
  })
})

describe('da-server: durability, load, expiry, faults', () => {
  test('1,000 concurrent puts then 1,000 concurrent gets on loopback all return the right bytes', async () => {
    const server = await start()
    const blobs = Array.from({ length: 1000 }, (_, i) => payload(200 + (i % 50) * 37, i + 1))
    const commitments = await Promise.all(
      blobs.map(async (blob) => {
        const res = await put(server, blob)
        expect(res.status).toBe(200)
        return bytesToHex(await bytesOf(res))
      }),
    )
    expect(new Set(commitments).size).toBe(1000)
    const back = await Promise.all(commitments.map(async (c) => bytesOf(await get(server, c))))
    for (const [i, data] of back.entries()) expect(data).toEqual(blobs[i])
    expect(server.store.count).toBe(1000)
  })

  test('data survives a restart (and leftover temp files from a crash are removed)', async () => {
    const first = await start()
    const data = payload(5000, 11)
    const commitment = bytesToHex(await bytesOf(await put(first, data)))
    await first.close()
    servers.length = 0
    await writeFile(join(dir, 'blobs', '.tmp-deadbeef'), 'half a blob')
    const second = await start()
    expect(second.store.count).toBe(1)
    expect(await bytesOf(await get(second, commitment))).toEqual(data)
  })

  test('expiry: blobs vanish after BlobExpiration (from the put), 0 = never; PATCH changes it at runtime', async () => {
    let now = 1_000_000
    const server = await start({ blobExpiration: '10m' }, () => now)
    const commitment = bytesToHex(await bytesOf(await put(server, payload(100))))
    now += 9 * 60_000
    expect((await get(server, commitment)).status).toBe(200)
    now += 60_000
    expect((await get(server, commitment)).status).toBe(404)
    expect(server.store.count).toBe(0)

    const patched = await fetch(`${server.url}/memstore/config`, {
      method: 'PATCH',
      body: JSON.stringify({ BlobExpiration: '0s' }),
    })
    expect(((await patched.json()) as { BlobExpiration: string }).BlobExpiration).toBe('0s')
    const kept = bytesToHex(await bytesOf(await put(server, payload(100, 2))))
    now += 365 * 24 * 3_600_000
    expect((await get(server, kept)).status).toBe(200)
  })

  test('PutReturnsFailoverError via PATCH /memstore/config makes puts 503 and stores nothing; turning it off recovers', async () => {
    const server = await start()
    const initial = (await (await fetch(`${server.url}/memstore/config`)).json()) as Record<string, unknown>
    expect(initial).toEqual({
      MaxBlobSizeBytes: 16_777_216,
      BlobExpiration: '0s',
      PutLatency: '0s',
      GetLatency: '0s',
      PutReturnsFailoverError: false,
    })
    const on = await fetch(`${server.url}/memstore/config`, {
      method: 'PATCH',
      body: JSON.stringify({ PutReturnsFailoverError: true }),
    })
    expect(((await on.json()) as { PutReturnsFailoverError: boolean }).PutReturnsFailoverError).toBe(true)
    for (let i = 0; i < 3; i++) expect((await put(server, payload(100, i))).status).toBe(503)
    expect(server.store.count).toBe(0)
    expect(server.service.stats.failoverPuts).toBe(3)
    await fetch(`${server.url}/memstore/config`, {
      method: 'PATCH',
      body: JSON.stringify({ PutReturnsFailoverError: false }),
    })
    expect((await put(server, payload(100))).status).toBe(200)
  })

  test('config flag putReturnsFailoverError starts the server failing puts; bad PATCH bodies are 400 and change nothing', async () => {
    const server = await start({ putReturnsFailoverError: 'true' })
    expect((await put(server, payload(10))).status).toBe(503)
    for (const body of ['{', JSON.stringify({ PutLatency: 'soon' }), JSON.stringify({ Typo: true })]) {
      expect((await fetch(`${server.url}/memstore/config`, { method: 'PATCH', body })).status).toBe(400)
    }
    const config = (await (await fetch(`${server.url}/memstore/config`)).json()) as { PutLatency: string }
    expect(config.PutLatency).toBe('0s')
  })

  test('injected put latency delays the answer by at least that long', async () => {
    const server = await start({ putLatency: '150ms' })
    const started = performance.now()
    expect((await put(server, payload(10))).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(149)
  })
})
