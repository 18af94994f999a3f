import { boolField as bool, intField, logConfigFields, portField } from '@opl/service-kit'
import { z } from 'zod'
import { parseGoDuration } from './go-duration.js'

/** eigenda-proxy's default MaxBlobSizeBytes (and `--eigenda.max-blob-length`): 16 MiB. */
export const DEFAULT_MAX_BLOB_SIZE_BYTES = 16 * 1024 * 1024

/** A duration given as milliseconds ("1500") or as a Go duration ("25m", "500ms") like the proxy's flags. */
const durationMs = z.union([z.number(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') return value
  if (/^\d+$/.test(value)) return Number(value)
  try {
    return parseGoDuration(value)
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message })
    return z.NEVER
  }
})

/**
 * The server's configuration: flags (`--data-dir`) or env vars (`OPL_DA_SERVER_DATA_DIR`); flags win. Its one port
 * serves the proxy routes and /healthz /readyz /metrics, so it has `--host`/`--port` (the proxy's names) and no
 * `--metrics-*` settings.
 */
export const DaServerConfig = z.object({
  dataDir: z.string().min(1).default('.da-server').describe('where blobs are stored'),
  host: z.string().default('127.0.0.1').describe('bind address'),
  port: portField.default(3100).describe("HTTP port (eigenda-proxy's default)"),
  maxBlobSizeBytes: intField(1)
    .max(DEFAULT_MAX_BLOB_SIZE_BYTES)
    .default(DEFAULT_MAX_BLOB_SIZE_BYTES)
    .describe('largest put, bytes'),
  // The proxy's memstore defaults to 25m, which silently loses batches a devnet node has not derived yet (a node
  // restarted after lunch would stall forever); a devnet wants its data kept, so ours defaults to never.
  blobExpiration: durationMs
    .pipe(z.number().int().min(0))
    .default(0)
    .describe('blob lifetime, ms or a Go duration (25m), 0 = never'),
  putLatency: durationMs.pipe(z.number().int().min(0)).default(0).describe('injected put latency, ms or Go duration'),
  getLatency: durationMs.pipe(z.number().int().min(0)).default(0).describe('injected get latency, ms or Go duration'),
  putReturnsFailoverError: bool
    .default(false)
    .describe("every put answers 503 (eigenda-proxy's memstore.put-returns-failover-error)"),
  // eigenda-proxy's memstore answers 500 (a plain error); op-node's DA client turns only 404 into ErrNotFound and
  // retries anything else forever. 404 is the default: see README "Not found".
  notFoundStatus: z.coerce
    .number()
    .int()
    .refine((n) => n === 404 || n === 500, 'must be 404 or 500')
    .default(404)
    .describe('status for an unknown commitment, 404 or 500'),
  cacheBytes: intField(0)
    .default(256 * 1024 * 1024)
    .describe('blob bytes kept in memory in front of the disk'),
  // the proxy serves it whenever memstore is on
  adminApi: bool.default(true).describe('serve GET|PATCH /memstore/config (fault injection)'),
  ...logConfigFields,
})
export type DaServerConfig = z.output<typeof DaServerConfig>
export type DaServerConfigInput = z.input<typeof DaServerConfig>

export const ENV_PREFIX = 'OPL_DA_SERVER_'
