#!/usr/bin/env -S node --import tsx
import { addConfigFlags, parseConfigOrExit } from '@opl/service-kit'
import { Command } from 'commander'
import { pino } from 'pino'
import { z } from 'zod'
import { ENV_PREFIX, NodeConfig } from './config.js'
import { NodeConfigError, OplNode } from './node.js'

/** `opl-node`: every config field as `--kebab-flag` (overrides `OPL_NODE_<NAME>`), validated by zod. */
async function main(argv: string[]): Promise<void> {
  const program = new Command('opl-node').description('OpenLedger L2 node: engine, store, tx pool, sequencer, JSON-RPC')
  addConfigFlags(program, NodeConfig.shape, ENV_PREFIX)
  program.parse(argv)
  const config = parseConfigOrExit(NodeConfig, ENV_PREFIX, argv.slice(2))
  const log = pino({ name: 'opl-node', level: config.logLevel })
  const node = await OplNode.start({ config, log }).catch((error: unknown) => {
    if (!(error instanceof NodeConfigError)) throw error
    console.error(`opl-node: ${error.message}`)
    process.exit(2)
  })
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'stopping')
    await node.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

main(process.argv).catch((error: unknown) => {
  console.error(`opl-node: ${error instanceof z.ZodError ? error.message : (error as Error).stack}`)
  process.exit(1)
})
