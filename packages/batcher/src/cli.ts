import { Command } from 'commander'
import { BatcherConfig, readFlagsAndEnv } from './config.js'
import { createBatcherService } from './service/create.js'

/** `opl-batcher`: every flag also reads OPL_BATCHER_<NAME>; flags win. */
const flags: [string, string][] = [
  ['--l1-rpc <url>', 'L1 JSON-RPC'],
  ['--l2-rpc <url>', 'L2 eth JSON-RPC (op-geth role)'],
  ['--rollup-rpc <url>', 'rollup node RPC (optimism_syncStatus)'],
  ['--rollup-config <path>', 'rollup.json (default: optimism_rollupConfig)'],
  ['--private-key <hex>', 'batcher key'],
  ['--da-server <url>', 'eigenda-proxy / opl-da-server URL; empty = calldata only'],
  ['--batch-inbox <address>', 'override rollup.json batch_inbox_address'],
  ['--batch-type <span|singular>', 'batch type (span)'],
  ['--compression-algo <brotli|zlib>', 'channel compression (brotli)'],
  ['--brotli-quality <0-11>', 'brotli level (10)'],
  ['--max-l1-tx-size-bytes <n>', 'largest calldata tx (120000)'],
  ['--target-num-frames <n>', 'frames per channel to aim for (1)'],
  ['--approx-compr-ratio <r>', 'estimated compression ratio for cutting channels (0.55)'],
  ['--max-channel-duration <l1 blocks>', 'close channels after this many L1 blocks, 0 = off (10)'],
  ['--sub-safety-margin <l1 blocks>', 'close before the channel timeout minus this (10)'],
  ['--channel-timeout <l1 blocks>', 'derivation channel timeout (50)'],
  ['--poll-interval-ms <ms>', 'loop interval (1000)'],
  ['--max-pending-tx <n>', 'batcher txs in flight (1)'],
  ['--max-blocks-per-step <n>', 'L2 blocks read per loop pass (1000)'],
  ['--num-confirmations <n>', 'L1 confirmations before a frame counts (1)'],
  ['--resubmission-timeout-ms <ms>', 'bump fees and re-send after (48000)'],
  ['--send-timeout-ms <ms>', 'give up on a tx after (600000)'],
  ['--fee-bump-percent <n>', 'replacement fee bump, >= 10 (10)'],
  ['--min-tip-wei <wei>', 'priority fee floor (1000000)'],
  ['--da-put-timeout-ms <ms>', 'DA put timeout, then fail over (60000)'],
  ['--da-get-timeout-ms <ms>', 'DA get timeout (10000)'],
  ['--metrics-enabled [bool]', 'serve /healthz and /metrics (true)'],
  ['--metrics-host <host>', 'ops server bind address (127.0.0.1)'],
  ['--metrics-port <port>', 'ops server port (7300)'],
  ['--log-level <level>', 'pino level (info)'],
]

const program = new Command('opl-batcher').description(
  'posts L2 batches to EigenDA (commitments on L1) with calldata failover',
)
for (const [flag, help] of flags) {
  const env = `OPL_BATCHER_${flag.slice(2).split(' ')[0]!.replace(/-/g, '_').toUpperCase()}`
  program.option(flag, `${help} [${env}]`)
}
program.action(async () => {
  const parsed = BatcherConfig.safeParse(readFlagsAndEnv(process.argv.slice(2), process.env))
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`config: ${issue.path.join('.')}: ${issue.message}`)
    process.exit(2)
  }
  const service = await createBatcherService(parsed.data)
  service.batcher.start()
  const stop = (signal: string) => {
    console.error(`opl-batcher: ${signal}, draining`)
    service.stop({ drain: true }).then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
})

await program.parseAsync()
