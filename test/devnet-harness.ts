/**
 * `pnpm devnet` as a child process for end-to-end tests: every service on a free port, a private data dir, resolved
 * at the ready line with devnet.json read back. Tests that need a whole running devnet (bridge, AI contracts,
 * attribution) start it through here instead of each spawning the CLI its own way.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { DevnetJson } from '../packages/devnet/src/devnet-files.js'
import { freePort } from '../packages/devnet/src/ports.js'
import { serviceCommand } from '../packages/devnet/src/service-bundle.js'

const root = resolve(import.meta.dirname, '..')

/** The devnet CLI's port flags; each gets a free port unless the test fixes it (a restart must reuse the same). */
export const DEVNET_PORT_FLAGS = [
  '--l1-port',
  '--l2-port',
  '--da-port',
  '--batcher-port',
  '--proposer-port',
  '--relayer-port',
  '--verifier-port',
  '--attribution-port',
] as const
export type DevnetPortFlag = (typeof DEVNET_PORT_FLAGS)[number]
export type DevnetPorts = Record<DevnetPortFlag, number>

export type RunningDevnet = {
  child: ChildProcess
  dataDir: string
  ports: DevnetPorts
  /** devnet.json as written at ready */
  json: DevnetJson
  /** everything the CLI printed so far */
  stdout: () => string
  /**
   * Ctrl-C, then the exit code (0 = every service stopped cleanly). A devnet that has not exited after `graceMs` is
   * SIGKILLed together with its services, so a failing test never leaves anvil or a service running.
   */
  stop: (graceMs?: number) => Promise<number | null>
}

export async function freeDevnetPorts(): Promise<DevnetPorts> {
  const ports = {} as DevnetPorts
  for (const flag of DEVNET_PORT_FLAGS) ports[flag] = await freePort()
  return ports
}

/**
 * Starts the devnet CLI (node on its bundle, so the PID is the devnet itself) and resolves at its ready line; rejects
 * with the tail of its output if it exits first. A devnet that is not ready within `timeoutMs` is killed.
 */
export async function startDevnet(options: {
  dataDir: string
  args?: string[]
  ports?: DevnetPorts
  timeoutMs?: number
}): Promise<RunningDevnet> {
  const ports = options.ports ?? (await freeDevnetPorts())
  const portArgs = DEVNET_PORT_FLAGS.flatMap((flag) => [flag, String(ports[flag])])
  // as `pnpm devnet` runs it (scripts/devnet.mjs), but with the devnet itself as the child: its PID is the devnet's
  const command = await serviceCommand('packages/devnet/src/cli.ts')
  const child = spawn(
    process.execPath,
    [...command.args, '--data-dir', options.dataDir, ...portArgs, ...(options.args ?? [])],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...command.env } },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => {
    stdout += d
  })
  child.stderr.on('data', (d) => {
    stderr += d
  })
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
  // The services are the CLI's direct children: a hung CLI is killed together with them.
  const killGroup = () => {
    const children = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).stdout.split('\n')
    for (const pid of children.filter(Boolean).map(Number)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {}
    }
    child.kill('SIGKILL')
  }
  const timer = setTimeout(killGroup, options.timeoutMs ?? 600_000)
  exited.then(() => clearTimeout(timer))

  await new Promise<void>((ready, fail) => {
    const onData = () => {
      if (!/devnet ready in/.test(stdout)) return
      child.stdout.off('data', onData)
      clearTimeout(timer)
      ready()
    }
    child.stdout.on('data', onData)
    exited.then((code) =>
      fail(new Error(`devnet exited (${code}) before ready:\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`)),
    )
  })
  const json = JSON.parse(readFileSync(join(options.dataDir, 'devnet.json'), 'utf8')) as DevnetJson
  return {
    child,
    dataDir: options.dataDir,
    ports,
    json,
    stdout: () => stdout,
    stop: async (graceMs = 90_000) => {
      // anvil and the services run in their own process groups: a terminal's Ctrl-C reaches the devnet alone, as here
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT')
      const hard = setTimeout(killGroup, graceMs)
      const code = await exited
      clearTimeout(hard)
      return code
    },
  }
}
