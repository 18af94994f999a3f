import { envNameOf, onShutdown, parseConfigOrExit } from '@opl/service-kit'
import { Command } from 'commander'
import { ENV_PREFIX, RelayerConfig } from './config.js'
import { createRelayerService } from './service.js'

/** `opl-relayer [run]`: every flag also reads OPL_RELAYER_<NAME>; flags win. */
const flags: [string, string][] = [
  ['--l1-rpc <url>', 'L1 JSON-RPC'],
  ['--l2-rpc <url>', 'L2 JSON-RPC (logs, eth_getProof)'],
  ['--optimism-portal <address>', 'OptimismPortal proxy on L1'],
  ['--l2-output-oracle <address>', 'L2OutputOracle proxy on L1'],
  ['--private-key <hex>', 'key that pays for prove and finalize txs'],
  ['--relay <all|addr,addr>', 'whose withdrawals to prove and finalize (all)'],
  ['--data-dir <dir>', 'where relayer-state.json lives'],
  ['--l1-start-block <n>', 'first L1 block to scan on a new state (0)'],
  ['--l2-start-block <n>', 'first L2 block to scan on a new state (0)'],
  ['--max-log-range <n>', 'blocks per eth_getLogs (2000)'],
  ['--poll-interval-ms <ms>', 'loop interval (2000)'],
  ['--max-pending-tx <n>', 'prove/finalize txs in flight at once (16)'],
  ['--num-confirmations <n>', 'L1 confirmations before a tx counts (1)'],
  ['--resubmission-timeout-ms <ms>', 'bump fees and re-send after (48000)'],
  ['--send-timeout-ms <ms>', 'give up on a tx after (600000)'],
  ['--fee-bump-percent <n>', 'replacement fee bump, >= 10 (10)'],
  ['--min-tip-wei <wei>', 'priority fee floor (1000000)'],
  ['--api-enabled [bool]', 'serve the status API, /healthz and /metrics (true)'],
  ['--api-host <host>', 'API bind address (127.0.0.1)'],
  ['--api-port <port>', 'API port (7310)'],
  ['--log-level <level>', 'pino level (info)'],
]

const program = new Command('opl-relayer').description('proves and finalizes withdrawals, tracks deposits')
const run = program.command('run', { isDefault: true }).description('run the relayer')
for (const [flag, help] of flags) run.option(flag, `${help} [${envNameOf(ENV_PREFIX, flag)}]`)
run.action(async () => {
  const argv = process.argv.slice(2).filter((a) => a !== 'run')
  const service = await createRelayerService(parseConfigOrExit(RelayerConfig, ENV_PREFIX, argv))
  service.relayer.start()
  onShutdown('opl-relayer', () => service.stop())
})

program
  .command('status <tx>')
  .description('status of the deposits (L1 tx hash) or withdrawals (L2 tx hash) of one tx, from a running relayer')
  .option('--api <url>', `relayer API [${ENV_PREFIX}API]`, process.env[`${ENV_PREFIX}API`] ?? 'http://127.0.0.1:7310')
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
