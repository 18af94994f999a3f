import { addConfigFlags, onShutdown, parseConfigOrExit } from '@opl/service-kit'
import { Command } from 'commander'
import { ENV_PREFIX, RelayerConfig } from './config.js'
import { createRelayerService } from './service.js'

const STATUS_API_ENV = `${ENV_PREFIX}API`

/** `opl-relayer [run]`: every flag also reads OPL_RELAYER_<NAME>; flags win. */
const program = new Command('opl-relayer').description('proves and finalizes withdrawals, tracks deposits')
const run = program.command('run', { isDefault: true }).description('run the relayer')
addConfigFlags(run, RelayerConfig.shape, ENV_PREFIX)
run.action(async () => {
  const argv = process.argv.slice(2).filter((a) => a !== 'run')
  // OPL_RELAYER_API is `status`'s, not a setting of the relayer itself
  const config = parseConfigOrExit(RelayerConfig, ENV_PREFIX, argv, { otherEnv: [STATUS_API_ENV] })
  const service = await createRelayerService(config)
  service.relayer.start()
  onShutdown('opl-relayer', () => service.stop())
})

program
  .command('status <tx>')
  .description('status of the deposits (L1 tx hash) or withdrawals (L2 tx hash) of one tx, from a running relayer')
  .option('--api <url>', `relayer API [${STATUS_API_ENV}]`, process.env[STATUS_API_ENV] ?? 'http://127.0.0.1:7310')
  .action(async (tx: string, opts: { api: string }) => {
    for (const kind of ['withdrawals', 'deposits'] as const) {
      const res = await fetch(`${opts.api}/v1/${kind}/${tx}`)
      if (res.status === 404) continue
      const body = (await res.json()) as Record<string, unknown>
      if (res.status !== 200) {
        console.error(`opl-relayer: ${String(body.error)}`)
        process.exit(2)
      }
      console.log(JSON.stringify(body, null, 2))
      return
    }
    console.error(`opl-relayer: no deposit or withdrawal known for ${tx}`)
    process.exit(1)
  })

await program.parseAsync()
