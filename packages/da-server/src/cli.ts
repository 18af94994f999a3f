import { addConfigFlags, parseConfigOrExit } from '@opl/service-kit'
import { Command } from 'commander'
import pino from 'pino'
import { DaServerConfig, ENV_PREFIX } from './config.js'
import { startDaServer } from './http-server.js'

/** `opl-da-server`: every flag also reads OPL_DA_SERVER_<NAME>; flags win. */
const program = new Command('opl-da-server').description(
  'dev DA server speaking the eigenda-proxy protocol (memory + disk store)',
)
addConfigFlags(program, DaServerConfig.shape, ENV_PREFIX)
program.action(async () => {
  const config = parseConfigOrExit(DaServerConfig, ENV_PREFIX, process.argv.slice(2))
  const log = pino({ name: 'opl-da-server', level: config.logLevel })
  const server = await startDaServer({ config, log })
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
