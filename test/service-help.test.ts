/**
 * Every service runs alone, configured by flags and env vars: `--help` of each CLI exits 0 and names, for every flag,
 * the `OPL_<SERVICE>_<FLAG>` variable that sets it, so an operator can configure a container without reading code.
 */
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { expect, test } from 'vitest'

const root = resolve(import.meta.dirname, '..')

/** CLI → its env prefix and the sub-command whose flags configure the long-running service. */
const clis = [
  { name: 'opl-node', script: 'packages/node/src/cli.ts', prefix: 'OPL_NODE_', args: [] },
  { name: 'opl-batcher', script: 'packages/batcher/src/cli.ts', prefix: 'OPL_BATCHER_', args: [] },
  { name: 'opl-da-server', script: 'packages/da-server/src/cli.ts', prefix: 'OPL_DA_SERVER_', args: [] },
  { name: 'opl-proposer', script: 'packages/proposer/src/cli.ts', prefix: 'OPL_PROPOSER_', args: [] },
  { name: 'opl-relayer', script: 'packages/bridge-relayer/src/cli.ts', prefix: 'OPL_RELAYER_', args: ['run'] },
  {
    name: 'opl-attribution',
    script: 'packages/attribution-engine/src/cli.ts',
    prefix: 'OPL_ATTRIBUTION_',
    args: ['serve'],
  },
  { name: 'opl-deploy', script: 'packages/devnet/src/deploy/cli.ts', prefix: 'OPL_DEPLOY_', args: [] },
] as const

/** Flags that are about the invocation, not the service's configuration. */
const INVOCATION_FLAGS = new Set(['--help', '--version', '--out', '--quiet', '--log-level'])

test.each(clis)('$name --help exits 0 and names the env var of every flag', ({ script, prefix, args }) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, ...args, '--help'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  })
  expect(run.status, run.stderr).toBe(0)
  const flags = [...run.stdout.matchAll(/^\s+(?:-\w, )?(--[a-z0-9-]+)/gm)].map((m) => m[1]!)
  expect(flags.length).toBeGreaterThan(2)
  const help = run.stdout.replace(/\s+/g, ' ')
  const missing = flags
    .filter((flag) => !INVOCATION_FLAGS.has(flag))
    .filter((flag) => {
      const env = `${prefix}${flag.slice(2).replaceAll('-', '_').toUpperCase()}`
      // a secret's `--x-key-file` flag pairs with the `X_KEY` variable holding the secret itself
      return !help.includes(env) && !(env.endsWith('_FILE') && help.includes(env.slice(0, -'_FILE'.length)))
    })
  expect(missing, `flags without their ${prefix}* env var in --help`).toEqual([])
})
