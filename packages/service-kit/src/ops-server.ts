import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'

export type Health = { ok: boolean; [key: string]: unknown }
export type JsonReply = { status: number; body: unknown }
/** An extra GET route: `params` holds the `:name` segments of its pattern. */
export type Route = (params: Record<string, string>, url: URL) => Promise<JsonReply> | JsonReply

export type OpsServerOptions = {
  host: string
  port: number
  /** Liveness: 200 when `ok`, 503 otherwise; JSON either way. */
  health: () => Health | Promise<Health>
  /** Readiness (defaults to `health`). */
  ready?: () => Health | Promise<Health>
  registry?: Registry
  /** Further GET routes such as `/v1/withdrawals/:hash`. */
  routes?: Record<string, Route>
}

export type OpsServer = { url: string; port: number; close(): Promise<void> }

/** `/healthz`, `/readyz`, `/metrics` and the service's own JSON GET routes on one loopback server. */
export async function startOpsServer(opts: OpsServerOptions): Promise<OpsServer> {
  const routes = Object.entries(opts.routes ?? {}).map(([pattern, handler]) => ({
    parts: pattern.split('/').filter(Boolean),
    handler,
  }))
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => json(res, 500, { error: String(error) }))
  })
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: 'only GET' })
    if (url.pathname === '/healthz' || url.pathname === '/readyz') {
      const probe = url.pathname === '/readyz' ? (opts.ready ?? opts.health) : opts.health
      const health = await probe()
      return json(res, health.ok ? 200 : 503, health)
    }
    if (url.pathname === '/metrics' && opts.registry) {
      const text = await opts.registry.metrics()
      res.writeHead(200, { 'content-type': opts.registry.contentType }).end(text)
      return
    }
    const segments = url.pathname.split('/').filter(Boolean)
    for (const route of routes) {
      const params = match(route.parts, segments)
      if (!params) continue
      const reply = await route.handler(params, url)
      return json(res, reply.status, reply.body)
    }
    json(res, 404, { error: `no route ${url.pathname}` })
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${opts.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function match(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined
  const params: Record<string, string> = {}
  for (const [i, part] of pattern.entries()) {
    const segment = decodeURIComponent(segments[i]!)
    if (part.startsWith(':')) params[part.slice(1)] = segment
    else if (part !== segment) return undefined
  }
  return params
}

/** bigint values (wei, block numbers) are written as decimal strings: JSON has no exact big integers. */
function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
  res.writeHead(status, { 'content-type': 'application/json' }).end(text)
}
