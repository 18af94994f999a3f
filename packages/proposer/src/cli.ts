import { envNameOf, onShutdown, parseConfigOrExit } from '@opl/service-kit'
import { Command } from 'commander'
import { ENV_PREFIX, ProposerConfig } from './config.js'
import { createProposerService } from './service.js'

/** `opl-proposer`: every flag also reads OPL_PROPOSER_<NAME>; flags win. */
const flags: [string, string][] = [
  ['--l1-rpc <url>', 'L1 JSON-RPC'],
  ['--l2-rpc <url>', 'L2 execution JSON-RPC (eth_getProof, blocks): every output is checked against it'],
  ['--rollup-rpc <url>', 'rollup node RPC (optimism_syncStatus, optimism_outputAtBlock)'],
  ['--l2-output-oracle <address>', 'L2OutputOracle proxy on L1'],
  ['--private-key <hex>', 'proposer key (the oracle PROPOSER)'],
  ['--allow-non-finalized [bool]', 'propose up to the safe head instead of the finalized head (false)'],
  ['--poll-interval-ms <ms>', 'loop interval (6000)'],
  ['--num-confirmations <n>', 'L1 confirmations before a proposal counts (1)'],
  ['--resubmission-timeout-ms <ms>', 'bump fees and re-send after (48000)'],
  ['--send-timeout-ms <ms>', 'give up on a tx after (600000)'],
  ['--fee-bump-percent <n>', 'replacement fee bump, >= 10 (10)'],
  ['--min-tip-wei <wei>', 'priority fee floor (1000000)'],
  ['--metrics-enabled [bool]', 'serve /healthz and /metrics (true)'],
  ['--metrics-host <host>', 'ops server bind address (127.0.0.1)'],
  ['--metrics-port <port>', 'ops server port (7302)'],
  ['--log-level <level>', 'pino level (info)'],
]

const program = new Command('opl-proposer').description('posts L2 output roots to L2OutputOracle')
for (const [flag, help] of flags) program.option(flag, `${help} [${envNameOf(ENV_PREFIX, flag)}]`)
program.action(async () => {
  const config = parseConfigOrExit(ProposerConfig, ENV_PREFIX, process.argv.slice(2))
  const service = await createProposerService(config)
  service.proposer.start()
  onShutdown('opl-proposer', () => service.stop())
})

await program.parseAsync()
