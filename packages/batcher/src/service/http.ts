import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Batcher } from '../batcher.js'
import type { BatcherMetrics } from './metrics.js'

export type OpsServer = { url: string; close(): Promise<void> }

/**
 * `/healthz` (200 while the loop keeps stepping without error, 503 otherwise, JSON either way) and `/metrics`
 * (Prometheus text). `staleAfterMs`: how old the last good step may be.
 */
export async function startOpsServer(opts: {
  host: string
  port: number
  batcher: Batcher
  metrics: BatcherMetrics
  staleAfterMs: number
}): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    if (path === '/healthz') {
      const { stats } = opts.batcher
      const fresh = stats.lastStepAt > 0 && Date.now() - stats.lastStepAt <= opts.staleAfterMs
      const healthy = fresh && stats.lastError === undefined
      const body = JSON.stringify({
        ok: healthy,
        lastStepAt: stats.lastStepAt,
        lastError: stats.lastError ?? null,
        submissions: stats.submissions,
        failedPuts: stats.failedPuts,
      })
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' }).end(body)
      return
    }
    if (path === '/metrics') {
      opts.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': opts.metrics.registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500).end(String(error)),
      )
      return
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `no route ${path}` }))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${opts.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
