import { readFlagsAndEnv as readServiceFlagsAndEnv } from '@opl/service-kit'
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

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1')

/** The server's configuration: flags (`--data-dir`) or env vars (`OPL_DA_SERVER_DATA_DIR`); flags win. */
export const DaServerConfig = z.object({
  dataDir: z.string().min(1).default('.da-server'),
  host: z.string().default('127.0.0.1'),
  /** eigenda-proxy's default port. */
  port: z.coerce.number().int().min(0).max(65_535).default(3100),
  maxBlobSizeBytes: z.coerce
    .number()
    .int()
    .min(1)
    .max(DEFAULT_MAX_BLOB_SIZE_BYTES)
    .default(DEFAULT_MAX_BLOB_SIZE_BYTES),
  /**
   * 0 = never. The proxy's memstore defaults to 25m, which silently loses batches a devnet node has not derived
   * yet (a node restarted after lunch would stall forever); a devnet wants its data kept, so ours defaults to never.
   */
  blobExpiration: durationMs.pipe(z.number().int().min(0)).default(0),
  putLatency: durationMs.pipe(z.number().int().min(0)).default(0),
  getLatency: durationMs.pipe(z.number().int().min(0)).default(0),
  /** Every put answers 503 (memstore `--memstore.put-returns-failover-error`). */
  putReturnsFailoverError: bool.default(false),
  /**
   * Status for an unknown commitment. eigenda-proxy's memstore answers 500 (a plain error); op-node's DA client
   * turns only 404 into ErrNotFound and retries anything else forever. 404 is the default: see README "Not found".
   */
  notFoundStatus: z.coerce
    .number()
    .int()
    .refine((n) => n === 404 || n === 500, 'must be 404 or 500')
    .default(404),
  /** Blob bytes kept in memory in front of the disk. */
  cacheBytes: z.coerce
    .number()
    .int()
    .min(0)
    .default(256 * 1024 * 1024),
  /** Serve `GET|PATCH /memstore/config` (fault injection). The proxy serves it whenever memstore is on. */
  adminApi: bool.default(true),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
})
export type DaServerConfig = z.output<typeof DaServerConfig>
export type DaServerConfigInput = z.input<typeof DaServerConfig>

const ENV_PREFIX = 'OPL_DA_SERVER_'

/** Reads `OPL_DA_SERVER_<NAME>` env vars, then `--kebab-name value` / `--kebab-name=value` flags over them. */
export function readFlagsAndEnv(argv: readonly string[], env: NodeJS.ProcessEnv): Record<string, string> {
  return readServiceFlagsAndEnv(ENV_PREFIX, argv, env)
}
