import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { SingleBar } from 'cli-progress'
import { Command } from 'commander'
import pino from 'pino'
import { readDevnetFile } from './devnet/devnet-file.js'
import { startDevnetAttribution } from './devnet/start-devnet-attribution.js'
import { AttributionEngine } from './engine/attribution-engine.js'
import { AttributionError } from './errors.js'
import { SmallModels } from './influence/small-models.js'
import { FileContributionSource } from './ingest/file-source.js'
import type { ScorerMethod } from './scoring/scorer.js'
import { Attributor } from './service/attributor.js'
import { AttributionConfig, readFlagsAndEnv } from './service/config.js'
import { startAttributionService } from './service/start-service.js'

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
  .option('--scorer <method>', 'span (default) | influence: TracIn over a small model trained on the index')
  .option('--datanets <ids>', 'influence: comma-separated Datanet ids to train on (default: every contribution)')
  .action(async (text: string | undefined, opts: { file?: string; scorer?: string; datanets?: string }) => {
    const c = config(process.argv.slice(2))
    if (opts.scorer && opts.scorer !== 'span' && opts.scorer !== 'influence') {
      console.error(`config: scorer: span or influence, not ${opts.scorer}`)
      process.exit(2)
    }
    const engine = await AttributionEngine.open({ dir: c.indexDir, workers: c.workers, encoding: c.encoding })
    const models = new SmallModels({
      data: engine,
      pool: engine.workerPool,
      tokenizer: engine.tokenizer,
      dir: join(c.indexDir, 'models'),
    })
    try {
      const output = opts.file ? readFileSync(opts.file, 'utf8') : (text ?? '')
      const attributor = new Attributor({ engine, smallModels: models })
      const result = await attributor.attribute({
        output,
        scorer: opts.scorer as ScorerMethod | undefined,
        datanetIds: opts.datanets?.split(','),
      })
      console.log(JSON.stringify(result, null, 2))
    } finally {
      await models.close()
      await engine.close()
    }
  })

withConfig(program.command('serve'))
  .description('serve the HTTP API until SIGINT/SIGTERM')
  .option('--devnet <file>', 'run against a devnet: its devnet.json (OPL_ATTRIBUTION_DEVNET)')
  .option('--influence-models <ids>', 'model ids scored by influence (OPL_ATTRIBUTION_INFLUENCE_MODELS)')
  .action(async () => {
    const argv = process.argv.slice(2)
    const raw = readFlagsAndEnv(argv, process.env)
    const service = raw.devnet
      ? await startDevnetAttribution({
          devnet: await readDevnetFile(raw.devnet),
          indexDir: raw.indexDir ?? join(dirname(raw.devnet), 'attribution'),
          overrides: raw,
        })
      : await startAttributionService({ config: config(argv) })
    const stop = () => {
      void service.stop().then(() => process.exit(0))
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof AttributionError) console.error(`${err.name}: ${err.message} ${JSON.stringify(err.details)}`)
  else console.error(err)
  process.exit(1)
})
