import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { addConfigFlags, parseConfigOrExit, readFlagsAndEnv } from '@opl/service-kit'
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
import { AttributionConfig, ENV_PREFIX } from './service/config.js'
import { startAttributionService } from './service/start-service.js'

/** `opl-attribution index | query | serve`; every config flag also reads OPL_ATTRIBUTION_<NAME>; flags win. */
const config = (argv: string[]) => parseConfigOrExit(AttributionConfig, ENV_PREFIX, argv)

const program = new Command('opl-attribution').description('Proof of Attribution engine')

/** Settings only `serve` reads. */
const SERVE_ONLY = new Set<string>(['devnet', 'influenceModels'])

/** The config flags a command accepts, from the schema (index and query read the same config, bar serve's own). */
function withConfig(cmd: Command): Command {
  const shape = Object.entries(AttributionConfig.shape).filter(
    ([key]) => cmd.name() === 'serve' || !SERVE_ONLY.has(key),
  )
  addConfigFlags(cmd, Object.fromEntries(shape), ENV_PREFIX)
  return cmd
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
  .action(async () => {
    const argv = process.argv.slice(2)
    const c = config(argv)
    // the flags and env vars as given: they override what devnet.json sets, the schema's defaults do not
    const given = readFlagsAndEnv(ENV_PREFIX, argv, process.env)
    const service = c.devnet
      ? await startDevnetAttribution({
          devnet: await readDevnetFile(c.devnet),
          indexDir: given.indexDir ?? join(dirname(c.devnet), 'attribution'),
          overrides: given,
        })
      : await startAttributionService({ config: c })
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
