import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from './deploy/artifacts.js'

/** A service CLI of this repo (its `src/cli.ts`), run on this node with tsx's loader as its bin does. */
export type ServiceSpec = {
  name: string
  /** the CLI, relative to the repo root */
  script: string
  args: string[]
  env?: Record<string, string>
  /** GET this until it answers 2xx (a `/healthz`), or POST `eth_chainId` when `rpc` is set */
  health: { url: string; rpc?: boolean }
  /** the service's stdout+stderr (pino lines) go here; inherited from the parent when absent */
  logFile?: string
  /** health checks before giving up (each ~100 ms apart plus the request) */
  maxChecks?: number
}

export type Service = {
  name: string
  pid: number
  process: ChildProcess
  /** SIGTERM, wait for the exit (SIGKILL after `graceMs`); resolves with the exit code or signal */
  stop(graceMs?: number): Promise<number | string | null>
  /** SIGKILL now (crash tests) */
  kill(): Promise<number | string | null>
}

export class ServiceStartError extends Error {
  override name = 'ServiceStartError'
}

/**
 * `node --import tsx <cli>`, not the `tsx` binary: tsx runs the script in a second node process, so a signal to the
 * PID we hold (kill -9 above all) would hit the wrapper and leave the service running with its files locked.
 */
const NODE_ARGS = ['--import', 'tsx']

/** Starts a service as a child process and resolves once its health endpoint answers. */
export async function startService(spec: ServiceSpec): Promise<Service> {
  const stdio = spec.logFile ? 'pipe' : 'inherit'
  const child = spawn(process.execPath, [...NODE_ARGS, join(REPO_ROOT, spec.script), ...spec.args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', stdio, stdio],
  })
  let tail = ''
  if (spec.logFile) {
    const out = createWriteStream(spec.logFile, { flags: 'a' })
    const keep = (d: Buffer) => {
      out.write(d)
      tail = (tail + d.toString()).slice(-4_000)
    }
    child.stdout?.on('data', keep)
    child.stderr?.on('data', keep)
    child.once('exit', () => out.end())
  }
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  )
  const service: Service = {
    name: spec.name,
    pid: child.pid ?? -1,
    process: child,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      const result = await exited
      clearTimeout(timer)
      return result
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      return exited
    },
  }
  const maxChecks = spec.maxChecks ?? 600
  for (let i = 0; i < maxChecks; i++) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new ServiceStartError(`${spec.name} exited (${await exited}) before it was healthy:\n${tail}`)
    }
    if (await healthy(spec.health)) return service
    await new Promise((r) => setTimeout(r, 100))
  }
  await service.stop()
  throw new ServiceStartError(`${spec.name} not healthy at ${spec.health.url} after ${maxChecks} checks:\n${tail}`)
}

async function healthy(health: ServiceSpec['health']): Promise<boolean> {
  try {
    const res = health.rpc
      ? await fetch(health.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
          signal: AbortSignal.timeout(2_000),
        })
      : await fetch(health.url, { signal: AbortSignal.timeout(2_000) })
    return res.ok
  } catch {
    return false
  }
}
