import { addConfigFlags, onShutdown, parseConfigOrExit } from '@opl/service-kit'
import { Command } from 'commander'
import { ENV_PREFIX, ProposerConfig } from './config.js'
import { createProposerService } from './service.js'

/** `opl-proposer`: every flag also reads OPL_PROPOSER_<NAME>; flags win. */
const program = new Command('opl-proposer').description('posts L2 output roots to L2OutputOracle')
addConfigFlags(program, ProposerConfig.shape, ENV_PREFIX)
program.action(async () => {
  const config = parseConfigOrExit(ProposerConfig, ENV_PREFIX, process.argv.slice(2))
  const service = await createProposerService(config)
  service.proposer.start()
  onShutdown('opl-proposer', () => service.stop())
})

await program.parseAsync()
