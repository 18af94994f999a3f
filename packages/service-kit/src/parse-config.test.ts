import { afterEach, describe, expect, test, vi } from 'vitest'
import { z } from 'zod'
import { boolField, logConfigFields, serverConfigFields } from './config-fields.js'
import { parseConfigOrExit, unknownEnvNames } from './parse-config.js'

const Config = z.object({
  l1Rpc: z.url(),
  pollIntervalMs: z.coerce.number().int().default(1000),
  dryRun: boolField.default(false),
  relay: z
    .string()
    .default('all')
    .transform((v) => (v === 'all' ? v : v.split(','))),
  ...serverConfigFields('metrics', { server: 'ops server', serves: '/metrics', port: 7300, portNote: 'test' }),
  ...logConfigFields,
})

describe('parseConfigOrExit', () => {
  afterEach(() => vi.restoreAllMocks())

  test('flag > env > default; booleans, lists and numbers from strings', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const config = parseConfigOrExit(
      Config,
      'OPL_SVC_',
      ['--l1-rpc', 'http://127.0.0.1:1', '--poll-interval-ms=250', '--dry-run', '--metrics-enabled', 'false'],
      { env: { OPL_SVC_L1_RPC: 'http://127.0.0.1:2', OPL_SVC_RELAY: '0xa,0xb', OPL_SVC_METRICS_PORT: '0' } },
    )
    expect(config).toEqual({
      l1Rpc: 'http://127.0.0.1:1',
      pollIntervalMs: 250,
      dryRun: true,
      relay: ['0xa', '0xb'],
      metricsEnabled: false,
      metricsHost: '127.0.0.1',
      metricsPort: 0,
      logLevel: 'info',
    })
    expect(errors).not.toHaveBeenCalled()
  })

  test('an env var naming no setting is reported once on stderr and ignored', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const env = { OPL_SVC_L1_RPC: 'http://127.0.0.1:2', OPL_SVC_POLL_INTERVAL: '5', OPL_SVC_API: 'x', OTHER: '1' }
    const config = parseConfigOrExit(Config, 'OPL_SVC_', [], { env, otherEnv: ['OPL_SVC_API'] })
    expect(config.pollIntervalMs).toBe(1000)
    expect(errors.mock.calls).toEqual([
      ['config: OPL_SVC_POLL_INTERVAL is not a setting of this service (a typo?); ignored'],
    ])
  })

  test('bad values: every issue named by flag and env var, exit 2', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`)
    })
    expect(() =>
      parseConfigOrExit(Config, 'OPL_SVC_', ['--dry-run', 'yes'], { env: { OPL_SVC_LOG_LEVEL: 'loud' } }),
    ).toThrow('exit 2')
    expect(exit).toHaveBeenCalledWith(2)
    expect(errors.mock.calls.map(([line]) => String(line).split(':').slice(0, 2).join(':'))).toEqual([
      'config: --l1-rpc / OPL_SVC_L1_RPC',
      'config: --dry-run / OPL_SVC_DRY_RUN',
      'config: --log-level / OPL_SVC_LOG_LEVEL',
    ])
  })
})

test('unknownEnvNames: only names under the prefix that are no field (nor another known name)', () => {
  const env = { OPL_SVC_DRY_RUN: '1', OPL_SVC_DRYRUN: '1', OPL_SVCX: '1', OPL_OTHER_DRY_RUN: '1', OPL_SVC_API: '1' }
  expect(unknownEnvNames(Config.shape, 'OPL_SVC_', env, ['OPL_SVC_API'])).toEqual(['OPL_SVC_DRYRUN'])
})
