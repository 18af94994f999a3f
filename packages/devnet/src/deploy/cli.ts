#!/usr/bin/env tsx
import { writeFileSync } from 'node:fs'
import pino from 'pino'
import { readFlagsAndEnv } from './cli-options.js'
import { DeployConfigError, parseDeployConfig } from './config.js'
import { deployL1 } from './deploy.js'
import { DeployError } from './errors.js'

const { config: raw, out, logLevel, quiet } = readFlagsAndEnv(process.argv, process.env)
const log = pino({ name: 'opl-deploy', level: logLevel }, pino.destination(2))

try {
  const config = parseDeployConfig(raw)
  const deployment = await deployL1(config, {
    log,
    onProgress: quiet ? undefined : (p) => process.stderr.write(`[${p.step}/${p.total}] ${p.message}\n`),
  })
  const json = `${JSON.stringify(deployment, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`
  if (out) writeFileSync(out, json)
  process.stdout.write(json)
  process.stderr.write(
    `L1 deployed in ${(deployment.durationMs / 1000).toFixed(1)} s (${deployment.transactions} transactions); ` +
      `L1 genesis block ${deployment.l1Genesis.number}${out ? `; written to ${out}` : ''}\n`,
  )
} catch (error) {
  if (error instanceof DeployConfigError || error instanceof DeployError) {
    process.stderr.write(`opl-deploy: ${error.message}\n`)
    process.exit(2)
  }
  throw error
}
