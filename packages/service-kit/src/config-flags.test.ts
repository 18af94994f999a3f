import { Command } from 'commander'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { addConfigFlags } from './config-flags.js'

const bool = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((v) => v === true || v === 'true')
const Config = z.object({
  l1Rpc: z.url().describe('L1 JSON-RPC'),
  pollIntervalMs: z.coerce.number().int().default(1000).describe('loop interval, ms'),
  batchType: z.enum(['span', 'singular']).default('span').describe('batch type'),
  logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info').describe('pino level'),
  metricsEnabled: bool.default(true).describe('serve /metrics'),
  daServer: z.string().default('').describe('DA server URL'),
  rollupConfig: z.string().optional(),
  relay: z
    .string()
    .default('all')
    .transform((v) => v.split(','))
    .describe('whose withdrawals'),
})

describe('addConfigFlags', () => {
  const program = new Command('svc')
  addConfigFlags(program, Config.shape, 'OPL_SVC_')
  const options = Object.fromEntries(program.options.map((o) => [o.flags, o.description]))

  test('one flag per field, placeholder from the type, description + default (also under a transform) + env var', () => {
    expect(options).toEqual({
      '--l1-rpc <url>': 'L1 JSON-RPC [OPL_SVC_L1_RPC]',
      '--poll-interval-ms <value>': 'loop interval, ms (default 1000) [OPL_SVC_POLL_INTERVAL_MS]',
      '--batch-type <span|singular>': 'batch type (default span) [OPL_SVC_BATCH_TYPE]',
      '--log-level <value>': 'pino level (one of trace, debug, info, warn, error; default info) [OPL_SVC_LOG_LEVEL]',
      '--metrics-enabled [bool]': 'serve /metrics (default true) [OPL_SVC_METRICS_ENABLED]',
      '--da-server <value>': 'DA server URL (default "") [OPL_SVC_DA_SERVER]',
      '--rollup-config <value>': '[OPL_SVC_ROLLUP_CONFIG]',
      '--relay <value>': 'whose withdrawals (default all) [OPL_SVC_RELAY]',
    })
  })

  test('a bare boolean flag parses as true', () => {
    program.parse(['--metrics-enabled', '--l1-rpc', 'http://127.0.0.1:8545'], { from: 'user' })
    expect(program.opts()).toMatchObject({ metricsEnabled: true, l1Rpc: 'http://127.0.0.1:8545' })
  })
})
