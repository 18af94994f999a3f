/**
 * Every service runs alone, configured by flags and env vars: `--help` of each CLI exits 0 and names, for every flag,
 * the `OPL_<SERVICE>_<FLAG>` variable that sets it and the default it takes, so an operator can configure a container
 * without reading code.
 */
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { expect, test } from 'vitest'
import { AttributionConfig } from '../packages/attribution-engine/src/service/config.js'
import { BatcherConfig } from '../packages/batcher/src/config.js'
import { RelayerConfig } from '../packages/bridge-relayer/src/config.js'
import { DaServerConfig } from '../packages/da-server/src/config.js'
import { NodeConfig } from '../packages/node/src/config.js'
import { ProposerConfig } from '../packages/proposer/src/config.js'
import { flagOf } from '../packages/service-kit/src/index.js'

const root = resolve(import.meta.dirname, '..')

/**
 * CLI → its env prefix, the sub-command whose flags configure the long-running service, and its zod config (every
 * field must be a flag: a field the CLI does not declare makes commander refuse the flag, as the devnet found).
 */
const clis = [
  { name: 'opl-node', script: 'packages/node/src/cli.ts', prefix: 'OPL_NODE_', args: [], config: NodeConfig },
  {
    name: 'opl-batcher',
    script: 'packages/batcher/src/cli.ts',
    prefix: 'OPL_BATCHER_',
    args: [],
    config: BatcherConfig,
  },
  {
    name: 'opl-da-server',
    script: 'packages/da-server/src/cli.ts',
    prefix: 'OPL_DA_SERVER_',
    args: [],
    config: DaServerConfig,
  },
  {
    name: 'opl-proposer',
    script: 'packages/proposer/src/cli.ts',
    prefix: 'OPL_PROPOSER_',
    args: [],
    config: ProposerConfig,
  },
  {
    name: 'opl-relayer',
    script: 'packages/bridge-relayer/src/cli.ts',
    prefix: 'OPL_RELAYER_',
    args: ['run'],
    config: RelayerConfig,
  },
  {
    name: 'opl-attribution',
    script: 'packages/attribution-engine/src/cli.ts',
    prefix: 'OPL_ATTRIBUTION_',
    args: ['serve'],
    config: AttributionConfig,
  },
  { name: 'opl-deploy', script: 'packages/devnet/src/deploy/cli.ts', prefix: 'OPL_DEPLOY_', args: [] },
] as const

/** An option's first help line: two spaces, then the flag (a description may mention `--other.flag` further in). */
const FLAG_LINE = /^ {2}(?:-\w, )?(--[a-z0-9-]+)/gm

/** Flags that are about the invocation, not the service's configuration. */
const INVOCATION_FLAGS = new Set(['--help', '--version', '--out', '--quiet', '--log-level'])

test.each(clis)(
  '$name --help exits 0, declares every config field, names the env var and the default of every flag',
  (cli) => {
    const { script, prefix, args } = cli
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, ...args, '--help'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    })
    expect(run.status, run.stderr).toBe(0)
    const flags = [...run.stdout.matchAll(FLAG_LINE)].map((m) => m[1]!)
    expect(flags.length).toBeGreaterThan(2)
    if ('config' in cli) {
      const fields = Object.keys(cli.config.shape).map(flagOf)
      expect(
        fields.filter((flag) => !flags.includes(flag)),
        'config fields the CLI does not declare',
      ).toEqual([])
      const blocks = optionBlocks(run.stdout)
      const withoutDefault = Object.entries(cli.config.shape)
        .map(([key, field]) => ({ flag: flagOf(key), value: defaultValue(field) }))
        .filter(({ flag, value }) => value !== undefined && !blocks.get(flag)?.includes(`default ${value}`))
      expect(withoutDefault, 'defaults --help does not show').toEqual([])
    }
    const help = run.stdout.replace(/\s+/g, ' ')
    const missing = flags
      .filter((flag) => !INVOCATION_FLAGS.has(flag))
      .filter((flag) => !help.includes(`${prefix}${flag.slice(2).replaceAll('-', '_').toUpperCase()}`))
    expect(missing, `flags without their ${prefix}* env var in --help`).toEqual([])
  },
)

/** `--flag …` → its help text (commander wraps long descriptions onto indented lines), whitespace collapsed. */
function optionBlocks(help: string): Map<string, string> {
  const blocks = new Map<string, string>()
  let current: string | undefined
  for (const line of help.split('\n')) {
    const flag = new RegExp(FLAG_LINE.source).exec(line)?.[1]
    if (flag) {
      current = flag
      blocks.set(flag, line)
    } else if (current && /^\s{4,}\S/.test(line)) blocks.set(current, `${blocks.get(current)} ${line}`)
    else current = undefined
  }
  for (const [flag, text] of blocks) blocks.set(flag, text.replace(/\s+/g, ' '))
  return blocks
}

/** A field's default as --help writes it, from the parsed value of an unset field ('' → `""`, a Set → its list). */
function defaultValue(field: { safeParse(v: unknown): { success: boolean; data?: unknown } }): string | undefined {
  const parsed = field.safeParse(undefined)
  if (!parsed.success || parsed.data === undefined) return undefined
  const value = parsed.data instanceof Set ? [...parsed.data].join(',') : parsed.data
  return value === '' ? '""' : String(value)
}
