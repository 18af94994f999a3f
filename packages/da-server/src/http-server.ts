import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import pino, { type Logger } from 'pino'
import type { DaServerConfig } from './config.js'
import { type CommitmentMode, DaService } from './da-service.js'
import { DiskStore } from './disk-store.js'
import { BadRequestError, DaServerError } from './errors.js'
import { memstoreConfigJson, patchRuntimeConfig, runtimeConfigFrom } from './memstore-config.js'
import { createDaServerMetrics, type DaServerMetrics, routeLabel } from './metrics.js'
import { readBody } from './read-body.js'

export type DaServer = {
  /** `http://host:port`, the actual port when 0 was asked for. */
  url: string
  port: number
  service: DaService
  store: DiskStore
  close(): Promise<void>
}

/** The JSON body of a PATCH is small; anything bigger is not a config. */
const MAX_ADMIN_BODY = 64 * 1024

/**
 * Opens the store and serves the eigenda-proxy routes: `POST /put` and `/put/` (generic commitment), `POST
 * /put/0x00<keccak>` (keccak mode), `GET /get/<0x?commitment>`, `GET /health`, `GET|PATCH /memstore/config`, and
 * ours: `GET /healthz` (liveness, as the other services), `GET /readyz` (the store is writable and puts are not set to
 * fail over) and `GET /metrics` (Prometheus).
 */
export async function startDaServer({
  config,
  log: logger,
  now,
}: {
  config: DaServerConfig
  /** Defaults to a pino logger named opl-da-server at `config.logLevel`. */
  log?: Logger
  /** Clock for expiry (tests move it instead of waiting). */
  now?: () => number
}): Promise<DaServer> {
  const log = logger ?? pino({ name: 'opl-da-server', level: config.logLevel })
  const runtime = runtimeConfigFrom(config)
  const store = await DiskStore.open({
    dir: config.dataDir,
    expiryMs: () => runtime.blobExpirationMs,
    cacheBytes: config.cacheBytes,
    ...(now ? { now } : {}),
  })
  const service = new DaService({ store, runtime, notFoundStatus: config.notFoundStatus as 404 | 500 })
  const metrics = createDaServerMetrics(() => store.count)
  const server = createServer((req, res) => {
    const started = performance.now()
    const url = new URL(req.url ?? '/', 'http://localhost')
    route(req, res, url, { service, store, config, runtime, metrics })
      .catch((error: unknown) => sendError(res, error, log))
      .finally(() => {
        const ms = performance.now() - started
        const path = url.pathname
        metrics.requestSeconds.observe({ route: routeLabel(path), status: String(res.statusCode) }, ms / 1000)
        if (path.startsWith('/get/')) metrics.gets.inc({ status: String(res.statusCode) })
        log.debug({ method: req.method, url: req.url, status: res.statusCode, ms }, 'request')
      })
  })
  // Keep-alive sockets from a client that went away must not hold close() forever.
  server.keepAliveTimeout = 5_000
  await listen(server, config.port, config.host)
  const { port } = server.address() as AddressInfo
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  const sweepEvery = 60_000
  const sweeper = setInterval(() => {
    store.sweep().then(
      (removed) => removed > 0 && log.info({ removed }, 'expired blobs removed'),
      (error: unknown) => log.error({ err: error }, 'sweep failed'),
    )
  }, sweepEvery)
  sweeper.unref()
  log.info(
    { url, dataDir: config.dataDir, blobs: store.count, notFoundStatus: config.notFoundStatus },
    'da server listening',
  )
  return {
    url,
    port,
    service,
    store,
    close: () =>
      new Promise<void>((resolve, reject) => {
        clearInterval(sweeper)
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}

type Context = {
  service: DaService
  store: DiskStore
  config: DaServerConfig
  runtime: ReturnType<typeof runtimeConfigFrom>
  metrics: DaServerMetrics
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  { service, store, config, runtime, metrics }: Context,
): Promise<void> {
  const path = url.pathname
  const method = req.method ?? 'GET'
  const mode = commitmentMode(url)
  if (path === '/health') {
    if (method !== 'GET') return methodNotAllowed(res, 'GET')
    return send(res, 200, 'text/plain', 'OK')
  }
  if (path === '/healthz') {
    if (method !== 'GET') return methodNotAllowed(res, 'GET')
    return send(res, 200, 'application/json', JSON.stringify({ ok: true, blobs: store.count }))
  }
  if (path === '/metrics') {
    if (method !== 'GET') return methodNotAllowed(res, 'GET')
    return send(res, 200, metrics.registry.contentType, await metrics.registry.metrics())
  }
  if (path === '/readyz') {
    if (method !== 'GET') return methodNotAllowed(res, 'GET')
    const ready = await readiness(store, runtime.putReturnsFailoverError)
    return send(res, ready.ok ? 200 : 503, 'application/json', JSON.stringify(ready))
  }
  if (path === '/put' || path === '/put/') {
    if (method !== 'POST') return methodNotAllowed(res, 'POST')
    const data = await readBody(req, runtime.maxBlobSizeBytes)
    const commitment = await service.put(data, mode)
    metrics.puts.inc({ mode })
    metrics.putBytes.inc(data.length)
    return send(res, 200, 'application/octet-stream', commitment)
  }
  if (path.startsWith('/put/')) {
    if (method !== 'POST') return methodNotAllowed(res, 'POST')
    const data = await readBody(req, runtime.maxBlobSizeBytes)
    await service.putKeccak(path.slice('/put/'.length), data)
    metrics.puts.inc({ mode: 'keccak' })
    metrics.putBytes.inc(data.length)
    return send(res, 200, 'application/octet-stream', new Uint8Array())
  }
  if (path.startsWith('/get/')) {
    if (method !== 'GET') return methodNotAllowed(res, 'GET')
    checkInclusionBlock(url)
    const data = await service.get(path.slice('/get/'.length), mode)
    return send(res, 200, 'application/octet-stream', data)
  }
  if (path === '/memstore/config' && config.adminApi) {
    if (method === 'PATCH') {
      const body = await readBody(req, MAX_ADMIN_BODY)
      patchRuntimeConfig(runtime, parseJson(body), config.maxBlobSizeBytes)
    } else if (method !== 'GET') {
      return methodNotAllowed(res, 'GET, PATCH')
    }
    return send(res, 200, 'application/json', JSON.stringify(memstoreConfigJson(runtime)))
  }
  return send(res, 404, 'application/json', JSON.stringify({ error: `no route ${method} ${path}` }))
}

/**
 * Not a proxy route (eigenda-proxy has `/health` only): ready when a put can succeed, i.e. the store directory is
 * writable (our only dependency; the proxy's would be EigenDA) and puts are not set to fail over.
 */
async function readiness(disk: DiskStore, putsFailing: boolean): Promise<{ ok: boolean; [key: string]: unknown }> {
  const store = await disk.checkWritable().then(
    () => ({ ok: true }),
    (error: NodeJS.ErrnoException) => ({ ok: false, error: error.code ?? error.message }),
  )
  return { ok: store.ok && !putsFailing, store, putsFailing }
}

function commitmentMode(url: URL): CommitmentMode {
  const mode = url.searchParams.get('commitment_mode')
  if (mode === null || mode === 'optimism_generic') return 'optimism_generic'
  if (mode === 'standard') return 'standard'
  throw new BadRequestError('unsupported commitment_mode', { commitmentMode: mode })
}

/** The proxy rejects a malformed `l1_inclusion_block_number` with 400; a valid one enables a recency check we do not need (dev certs have no reference block). */
function checkInclusionBlock(url: URL): void {
  const value = url.searchParams.get('l1_inclusion_block_number')
  if (value !== null && !/^\d+$/.test(value)) {
    throw new BadRequestError('invalid l1_inclusion_block_number', { l1InclusionBlockNumber: value })
  }
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'))
  } catch (error) {
    throw new BadRequestError('body is not JSON', { reason: (error as Error).message })
  }
}

function send(res: ServerResponse, status: number, type: string, body: Uint8Array | string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('allow', allow)
  send(res, 405, 'application/json', JSON.stringify({ error: `method not allowed; use ${allow}` }))
}

function sendError(res: ServerResponse, error: unknown, log: Logger): void {
  const known = error instanceof DaServerError
  const status = known ? error.status : 500
  const body = JSON.stringify(
    { error: error instanceof Error ? error.message : String(error), ...(known ? error.details : {}) },
    (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v),
  )
  if (status >= 500 && status !== 503) log.error({ err: error, status }, 'request failed')
  else log.info({ status, error: error instanceof Error ? error.message : String(error) }, 'request refused')
  if (res.headersSent) {
    res.destroy()
    return
  }
  // A refused upload may still be streaming in: close the connection rather than read the rest of it.
  if (status === 400) res.setHeader('connection', 'close')
  send(res, status, 'application/json', body)
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}
