import { readFileSync } from 'node:fs'
import { SingleBar } from 'cli-progress'
import { Command } from 'commander'
import pino from 'pino'
import type { Address } from 'viem'
import { createChainService } from './chain/chain-service.js'
import { AttributionEngine } from './engine/attribution-engine.js'
import { AttributionError } from './errors.js'
import { FileContributionSource } from './ingest/file-source.js'
import { AttributionConfig, readFlagsAndEnv } from './service/config.js'
import { createAttributionServer } from './service/http-server.js'
import { createMetrics } from './service/metrics.js'
import { EpochBook } from './settlement/epoch-book.js'
import { RecordingSettler } from './settlement/settler.js'

/** `opl-attribution index | query | serve`; every option also reads OPL_ATTRIBUTION_<NAME>. */
function config(argv: string[]): AttributionConfig {
  const parsed = AttributionConfig.safeParse(readFlagsAndEnv(argv, process.env))
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`config: ${issue.path.join('.')}: ${issue.message}`)
    process.exit(2)
  }
  return parsed.data
}

const program = new Command('opl-attribution').description('Proof of Attribution engine')

/** The config flags every command accepts (values are read by readFlagsAndEnv, validated by the zod schema). */
function withConfig(cmd: Command): Command {
  return cmd
    .option('--index-dir <dir>', 'index directory (OPL_ATTRIBUTION_INDEX_DIR)')
    .option('--workers <n>', 'worker threads (OPL_ATTRIBUTION_WORKERS)')
    .option('--encoding <name>', 'tokenizer: cl100k_base | o200k_base | gpt2 (OPL_ATTRIBUTION_ENCODING)')
    .option('--host <host>', 'bind address (OPL_ATTRIBUTION_HOST)')
    .option('--port <port>', 'HTTP port (OPL_ATTRIBUTION_PORT)')
    .option('--query-timeout-ms <ms>', 'per-task timeout (OPL_ATTRIBUTION_QUERY_TIMEOUT_MS)')
    .option('--max-body-bytes <n>', 'request body limit (OPL_ATTRIBUTION_MAX_BODY_BYTES)')
    .option('--default-treasury <address>', 'treasury for the unattributed share (OPL_ATTRIBUTION_DEFAULT_TREASURY)')
    .option('--log-level <level>', 'pino level (OPL_ATTRIBUTION_LOG_LEVEL)')
    .option('--chain-rpc <url>', 'L2 JSON-RPC: ingest, epochs and settlement on chain (OPL_ATTRIBUTION_CHAIN_RPC)')
    .option('--rewards <address>', 'AttributionRewards (OPL_ATTRIBUTION_REWARDS)')
    .option('--registry <address>', 'DatanetRegistry, checked against the chain (OPL_ATTRIBUTION_REGISTRY)')
    .option('--start-block <n>', 'deployment block to scan from (OPL_ATTRIBUTION_START_BLOCK)')
    .option('--confirmations <n>', 'blocks behind the head read (OPL_ATTRIBUTION_CONFIRMATIONS)')
    .option('--max-block-range <n>', 'blocks per eth_getLogs (OPL_ATTRIBUTION_MAX_BLOCK_RANGE)')
    .option('--poll-interval-ms <ms>', 'chain poll period (OPL_ATTRIBUTION_POLL_INTERVAL_MS)')
    .option('--da-url <url>', 'eigenda-proxy / DA server for commitments (OPL_ATTRIBUTION_DA_URL)')
    .option('--attestor-key-file <path>', 'file with the attestor key, or env OPL_ATTRIBUTION_ATTESTOR_KEY')
    .option('--settle-mode <mode>', 'direct | signature (OPL_ATTRIBUTION_SETTLE_MODE)')
    .option('--relayer-key-file <path>', 'sender of settleWithSignature, or env OPL_ATTRIBUTION_RELAYER_KEY')
    .option('--settle-grace-seconds <s>', 'wait after an epoch ends (OPL_ATTRIBUTION_SETTLE_GRACE_SECONDS)')
    .option('--state-dir <dir>', 'chain cursor and settled epochs (OPL_ATTRIBUTION_STATE_DIR)')
}

withConfig(program.command('index'))
  .description('ingest a contributions manifest (JSON lines) into the index; prints the new index version')
  .argument('<manifest>', 'JSON lines: {id, contributor, datanetId, contentHash, order, content | path}')
  .action(async (manifest: string) => {
    const c = config(process.argv.slice(2))
    const log = pino({ name: 'opl-attribution', level: c.logLevel }, pino.destination(2))
    const engine = await AttributionEngine.open({ dir: c.indexDir, workers: c.workers, encoding: c.encoding, log })
    const bar = new SingleBar({ format: '{phase} [{bar}] {value}{of} ', hideCursor: true }, undefined)
    let phase = ''
    const started = performance.now()
    try {
      const report = await engine.ingest(new FileContributionSource(manifest), (p) => {
        if (p.phase !== phase) {
          if (phase) bar.stop()
          phase = p.phase
          bar.start(p.total ?? 0, 0, { phase, of: p.total ? `/${p.total}` : ' contributions' })
        }
        if (p.total) bar.setTotal(p.total)
        bar.update(p.done, { phase })
      })
      if (phase) bar.stop()
      await engine.idle()
      const s = engine.summary
      console.log(
        JSON.stringify({
          version: s.version,
          accepted: report.accepted.length,
          rejected: report.rejected,
          refusedRows: report.refusedRows.length,
          tokens: report.tokens,
          indexTokens: s.tokens,
          shards: s.shards,
          seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
        }),
      )
    } finally {
      await engine.close()
    }
  })

withConfig(program.command('query'))
  .description('attribute one output (text argument, or --file) and print the result JSON')
  .argument('[text]')
  .option('--file <path>')
  .action(async (text: string | undefined, opts: { file?: string }) => {
    const c = config(process.argv.slice(2))
    const engine = await AttributionEngine.open({ dir: c.indexDir, workers: 1, encoding: c.encoding })
    try {
      const output = opts.file ? readFileSync(opts.file, 'utf8') : (text ?? '')
      console.log(JSON.stringify(await engine.attribute(output), null, 2))
    } finally {
      await engine.close()
    }
  })

withConfig(program.command('serve'))
  .description('serve the HTTP API until SIGINT/SIGTERM')
  .action(async () => {
    const c = config(process.argv.slice(2))
    const log = pino({
      name: 'opl-attribution',
      level: c.logLevel,
      redact: { paths: ['attestorKey', 'relayerKey', '*.attestorKey', '*.relayerKey'], censor: '[secret]' },
    })
    const engine = await AttributionEngine.open({
      dir: c.indexDir,
      workers: c.workers,
      encoding: c.encoding,
      queryTimeoutMs: c.queryTimeoutMs,
      log,
    })
    // With --chain-rpc: contributions, payments and epochs come from the chain and settle there; otherwise epochs
    // are booked from the requests' charges and recorded in memory.
    const chain = c.chainRpc ? await createChainService({ config: c, engine, log }) : undefined
    const server = createAttributionServer({
      engine,
      epochs: chain?.book ?? new EpochBook(new RecordingSettler()),
      metrics: createMetrics(engine),
      log,
      maxBodyBytes: c.maxBodyBytes,
      defaultTreasury: c.defaultTreasury as Address,
      chain: chain && {
        attribute: (id, result) => chain.epochs.attribute(id, result),
        settle: () => chain.epochs.settleReady(),
      },
    })
    chain?.start()
    server.listen(c.port, c.host, () => {
      const addr = server.address()
      const port = typeof addr === 'object' && addr ? addr.port : c.port
      log.info({ url: `http://${c.host}:${port}`, version: engine.version }, 'attribution API ready')
    })
    const stop = () => {
      server.close()
      // finish the in-flight poll (a settlement waiting for its receipt) before the pool goes away
      void (chain?.stop() ?? Promise.resolve()).then(() => engine.close()).then(() => process.exit(0))
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof AttributionError) console.error(`${err.name}: ${err.message} ${JSON.stringify(err.details)}`)
  else console.error(err)
  process.exit(1)
})
