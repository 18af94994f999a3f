import { addConfigFlags, parseConfigOrExit } from '@opl/service-kit'
import { Command } from 'commander'
import { BatcherConfig, ENV_PREFIX } from './config.js'
import { createBatcherService } from './service/create.js'

/** `opl-batcher`: every flag also reads OPL_BATCHER_<NAME>; flags win. */
const program = new Command('opl-batcher').description(
  'posts L2 batches to EigenDA (commitments on L1) with calldata failover',
)
addConfigFlags(program, BatcherConfig.shape, ENV_PREFIX)
program.action(async () => {
  const config = parseConfigOrExit(BatcherConfig, ENV_PREFIX, process.argv.slice(2))
  const service = await createBatcherService(config)
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
