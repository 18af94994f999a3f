import { Command } from 'commander'
import pino from 'pino'
import { DaServerConfig, readFlagsAndEnv } from './config.js'
import { startDaServer } from './http-server.js'

/** `opl-da-server`: every flag also reads OPL_DA_SERVER_<NAME>; flags win. */
const program = new Command('opl-da-server')
  .description('dev DA server speaking the eigenda-proxy protocol (memory + disk store)')
  .option('--data-dir <dir>', 'where blobs are stored (OPL_DA_SERVER_DATA_DIR, default .da-server)')
  .option('--host <host>', 'bind address (OPL_DA_SERVER_HOST, default 127.0.0.1)')
  .option('--port <port>', 'HTTP port (OPL_DA_SERVER_PORT, default 3100 as eigenda-proxy)')
  .option('--max-blob-size-bytes <n>', 'largest put (OPL_DA_SERVER_MAX_BLOB_SIZE_BYTES, default 16777216)')
  .option('--blob-expiration <duration>', 'e.g. 25m, 0 = never (OPL_DA_SERVER_BLOB_EXPIRATION, default 0)')
  .option('--put-latency <duration>', 'injected put latency (OPL_DA_SERVER_PUT_LATENCY)')
  .option('--get-latency <duration>', 'injected get latency (OPL_DA_SERVER_GET_LATENCY)')
  .option('--put-returns-failover-error [bool]', 'every put answers 503 (OPL_DA_SERVER_PUT_RETURNS_FAILOVER_ERROR)')
  .option(
    '--not-found-status <404|500>',
    'status for unknown commitments (OPL_DA_SERVER_NOT_FOUND_STATUS, default 404)',
  )
  .option('--cache-bytes <n>', 'blob bytes cached in memory (OPL_DA_SERVER_CACHE_BYTES)')
  .option('--admin-api [bool]', 'serve GET|PATCH /memstore/config (OPL_DA_SERVER_ADMIN_API, default true)')
  .option('--log-level <level>', 'pino level (OPL_DA_SERVER_LOG_LEVEL)')
  .action(async () => {
    const parsed = DaServerConfig.safeParse(readFlagsAndEnv(process.argv.slice(2), process.env))
    if (!parsed.success) {
      for (const issue of parsed.error.issues) console.error(`config: ${issue.path.join('.')}: ${issue.message}`)
      process.exit(2)
    }
    const log = pino({ name: 'opl-da-server', level: parsed.data.logLevel })
    const server = await startDaServer({ config: parsed.data, log })
    const stop = (signal: string) => {
      log.info({ signal }, 'stopping')
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      )
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
  })

await program.parseAsync()
