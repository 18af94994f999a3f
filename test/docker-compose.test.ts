import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

/**
 * docker-compose.yml checked two ways: by docker-compose itself (`config -q`, when the binary is installed; no
 * Docker engine is needed for that) and structurally here, because compose accepts a misspelt service env var
 * without a word and the service's zod schema then silently drops it.
 */
const ROOT = resolve(import.meta.dirname, '..')
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml')
const ENV_EXAMPLE = join(ROOT, '.env.example')

type Service = {
  image?: string
  command?: string[]
  profiles?: string[]
  environment?: Record<string, string>
  ports?: string[]
  healthcheck?: { test?: string[] }
  depends_on?: Record<string, { condition: string }>
  restart?: string
  volumes?: string[]
}
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> }

const envExample = Object.fromEntries(
  readFileSync(ENV_EXAMPLE, 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
)

/** Compose interpolation: `${X}`, `${X:-default}`, `${X-default}`, `${X:?error}`; unset and no default → ''. */
function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Z_][A-Z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
    const value = vars[name]
    if (op === ':-') return value ? value : (arg ?? '')
    if (op === '-') return value ?? arg ?? ''
    return value ?? ''
  })
}

const rawText = readFileSync(COMPOSE_FILE, 'utf8')
/** The file as compose sees it with no .env (defaults only) and with .env.example. */
const withDefaults = parse(interpolate(rawText, {}), { merge: true }) as Compose
const withExample = parse(interpolate(rawText, envExample), { merge: true }) as Compose

/** Our image's commands → the env prefix and the module + export of the zod schema the service parses its env with. */
const SCHEMAS: Record<string, { prefix: string; module: string; schema: string; extra?: string[] }> = {
  node: { prefix: 'OPL_NODE_', module: 'packages/node/src/config.ts', schema: 'NodeConfig' },
  batcher: { prefix: 'OPL_BATCHER_', module: 'packages/batcher/src/config.ts', schema: 'BatcherConfig' },
  proposer: { prefix: 'OPL_PROPOSER_', module: 'packages/proposer/src/config.ts', schema: 'ProposerConfig' },
  relayer: { prefix: 'OPL_RELAYER_', module: 'packages/bridge-relayer/src/config.ts', schema: 'RelayerConfig' },
  'da-server': { prefix: 'OPL_DA_SERVER_', module: 'packages/da-server/src/config.ts', schema: 'DaServerConfig' },
  attribution: {
    prefix: 'OPL_ATTRIBUTION_',
    module: 'packages/attribution-engine/src/service/config.ts',
    schema: 'AttributionConfig',
  },
  // init-chain reads opl-deploy's config; `--out` and `--log-level` are CLI options outside the schema.
  'init-chain': {
    prefix: 'OPL_DEPLOY_',
    module: 'packages/devnet/src/deploy/config.ts',
    schema: 'DeployConfigSchema',
    extra: ['OPL_DEPLOY_OUT', 'OPL_DEPLOY_LOG_LEVEL'],
  },
}
SCHEMAS.deploy = SCHEMAS['init-chain']!

/** The schema key a service reads for an env var (service-kit's rule: `OPL_X_L1_RPC` → `l1Rpc`). */
const keyOf = (prefix: string, name: string) =>
  name
    .slice(prefix.length)
    .toLowerCase()
    .replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

async function schemaKeys(command: string): Promise<Set<string> | undefined> {
  const spec = SCHEMAS[command]
  if (!spec || !existsSync(join(ROOT, spec.module))) return undefined
  const mod = (await import(pathToFileURL(join(ROOT, spec.module)).href)) as Record<string, { shape: object }>
  return new Set(Object.keys(mod[spec.schema]!.shape))
}

/** Names the service would ignore: not its prefix's schema keys (a `_FILE` twin counts as its base name). */
async function unknownEnv(command: string, names: string[]): Promise<string[] | undefined> {
  const spec = SCHEMAS[command]!
  const keys = await schemaKeys(command)
  if (!keys) return undefined
  return names.filter((raw) => {
    const name = raw.endsWith('_FILE') ? raw.slice(0, -'_FILE'.length) : raw
    if (spec.extra?.includes(name)) return false
    return !name.startsWith(spec.prefix) || !keys.has(keyOf(spec.prefix, name))
  })
}

const ourServices = Object.entries(withDefaults.services).filter(([, s]) => !s.image?.includes('eigenda-proxy'))

describe('docker-compose.yml', () => {
  const probe = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8', timeout: 10_000 })
  const dockerCompose = probe.status === 0
  if (!dockerCompose)
    console.warn(
      'docker-compose not found: skipping `docker-compose config` (Debian: apt-get install docker-compose); ' +
        'the structural checks below still run',
    )
  // Only PATH and HOME: a developer's COMPOSE_* or key variables must not change what is validated.
  const cleanEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' }
  const compose = (args: string[]) =>
    spawnSync('docker-compose', ['--project-directory', ROOT, '-f', COMPOSE_FILE, ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: cleanEnv,
    })

  it.skipIf(!dockerCompose)('docker-compose config -q accepts it with .env.example and every profile', () => {
    const r = compose(['--env-file', ENV_EXAMPLE, '--profile', 'local-l1', '--profile', 'opl-da', 'config', '-q'])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
  })

  it.skipIf(!dockerCompose)('docker-compose refuses to start without the keys (no silent empty key)', () => {
    // An empty env file (docker-compose 1.29 refuses /dev/null: "is not a file").
    const empty = join(mkdtempSync(join(tmpdir(), 'opl-compose-')), 'empty.env')
    writeFileSync(empty, '')
    const r = compose(['--env-file', empty, 'config', '-q'])
    expect(r.status).not.toBe(0)
    expect(r.stderr).toMatch(/_PRIVATE_KEY|_ADDRESS/)
  })

  it('every service has a healthcheck', () => {
    for (const [name, service] of Object.entries(withDefaults.services)) {
      expect(service.healthcheck?.test?.length, name).toBeGreaterThan(1)
    }
  })

  it('every published port binds 127.0.0.1 by default and with .env.example', () => {
    for (const config of [withDefaults, withExample]) {
      for (const [name, service] of Object.entries(config.services)) {
        for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/)
      }
    }
  })

  it('no two services publish the same host port', () => {
    const published = Object.values(withDefaults.services).flatMap((s) => (s.ports ?? []).map((p) => p.split(':')[1]))
    expect(published.length).toBe(new Set(published).size)
  })

  it('each healthcheck probes a port the service listens on', () => {
    for (const [name, service] of Object.entries(withDefaults.services)) {
      const url = service.healthcheck!.test!.find((t) => t.startsWith('http://'))
      if (!url) continue
      const port = new URL(url).port
      const targets = (service.ports ?? []).map((p) => p.split(':')[2])
      expect(targets, `${name} healthcheck ${url}`).toContain(port)
    }
  })

  it('long-running services restart; the one-shot deploy does not', () => {
    for (const [name, service] of Object.entries(withDefaults.services)) {
      expect(service.restart, name).toBe(name === 'deploy' ? 'no' : 'unless-stopped')
    }
  })

  it('depends_on names existing services with conditions, never one that a profile may switch off', () => {
    for (const [name, service] of Object.entries(withDefaults.services)) {
      for (const [dep, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = withDefaults.services[dep]
        expect(target, `${name} → ${dep}`).toBeDefined()
        expect(['service_healthy', 'service_completed_successfully']).toContain(condition)
        if (!service.profiles) expect(target!.profiles, `${name} → ${dep}`).toBeUndefined()
      }
    }
  })

  it('volumes are named and declared', () => {
    for (const [name, service] of Object.entries(withDefaults.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!
        expect(Object.keys(withDefaults.volumes ?? {}), `${name}: ${volume}`).toContain(source)
      }
    }
  })

  it('every variable the file interpolates is in .env.example, and .env.example sets nothing unused', () => {
    const read = new Set([...rawText.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!))
    // Compose itself reads these from .env.
    const composeOwn = new Set(['COMPOSE_PROFILES'])
    // Optional knobs with working defaults, documented in docs/operators.md instead of .env.example.
    const optional = new Set(['OPL_IMAGE', 'EIGENDA_PROXY_IMAGE', 'EIGENDA_PROXY_APIS_TO_ENABLE'])
    for (const name of read) if (!optional.has(name)) expect(Object.keys(envExample), name).toContain(name)
    for (const name of Object.keys(envExample)) if (!composeOwn.has(name)) expect([...read], name).toContain(name)
  })

  it('.env.example keys are marked dev-only', () => {
    const text = readFileSync(ENV_EXAMPLE, 'utf8')
    expect(text).toMatch(/DEV ONLY/)
    for (const name of Object.keys(envExample).filter((n) => n.endsWith('_PRIVATE_KEY')))
      expect(envExample[name], name).toMatch(/^0x[0-9a-f]{64}$/)
  })

  for (const [name, service] of ourServices) {
    const command = service.command?.[0] ?? ''
    it(`${name}: every OPL_* env var is a field of ${command}'s zod config`, async (ctx) => {
      const names = Object.keys(service.environment ?? {})
      if (!SCHEMAS[command]) {
        // anvil takes flags only; any OPL_ variable would be a mistake.
        expect(names.filter((n) => n.startsWith('OPL_'))).toEqual([])
        return
      }
      const unknown = await unknownEnv(command, names)
      if (!unknown) return ctx.skip(`${SCHEMAS[command]!.module} is not in this checkout yet`)
      expect(unknown).toEqual([])
    })
  }

  it("init-chain's addresses.env (in the Dockerfile) only sets names the proposer and relayer read", async (ctx) => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
    const names = [...dockerfile.matchAll(/`(OPL_[A-Z0-9_]+)=/g)].map((m) => m[1]!)
    expect(names.length).toBeGreaterThan(0)
    for (const command of ['proposer', 'relayer']) {
      const own = names.filter((n) => n.startsWith(SCHEMAS[command]!.prefix))
      const unknown = await unknownEnv(command, own)
      if (!unknown) return ctx.skip(`${SCHEMAS[command]!.module} is not in this checkout yet`)
      expect(own.length, command).toBeGreaterThan(0)
      expect(unknown, command).toEqual([])
    }
  })
})
