import { Counter, Gauge, Histogram, Registry } from 'prom-client'

/** The DA server's Prometheus metrics, on a registry of its own (tests run several servers in one process). */
export function createDaServerMetrics(blobCount: () => number) {
  const registry = new Registry()
  return {
    registry,
    puts: new Counter({
      name: 'opl_da_server_puts_total',
      help: 'blobs stored, by commitment mode',
      labelNames: ['mode'] as const,
      registers: [registry],
    }),
    putBytes: new Counter({
      name: 'opl_da_server_put_bytes_total',
      help: 'payload bytes stored',
      registers: [registry],
    }),
    gets: new Counter({
      name: 'opl_da_server_gets_total',
      help: 'blob reads, by HTTP status answered',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'opl_da_server_request_seconds',
      help: 'request latency by route',
      labelNames: ['route', 'status'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    blobs: new Gauge({
      name: 'opl_da_server_blobs',
      help: 'blobs held (memory index of the disk store)',
      registers: [registry],
      collect() {
        this.set(blobCount())
      },
    }),
  }
}

export type DaServerMetrics = ReturnType<typeof createDaServerMetrics>

/** The route label: fixed paths as they are, commitments cut off (no unbounded label values). */
export function routeLabel(path: string): string {
  for (const prefix of ['/put/', '/get/'])
    if (path.startsWith(prefix) && path.length > prefix.length) return `${prefix}:x`
  return ['/put', '/put/', '/health', '/healthz', '/readyz', '/metrics', '/memstore/config'].includes(path)
    ? path
    : 'other'
}
