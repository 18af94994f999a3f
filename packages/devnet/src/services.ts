import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from './deploy/artifacts.js'
import { serviceCommand } from './service-bundle.js'

// from the repo root: this module also runs bundled, away from its source directory
const EXIT_WITH_PARENT = join(REPO_ROOT, 'packages/devnet/src/exit-with-parent.mjs')

/** A service CLI of this repo (its `src/cli.ts`), run on this node from its bundle (serviceCommand). */
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
  /** how long the service may take to answer its health check (default 120 s) */
  healthTimeoutMs?: number
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

/** Starts a service as a child process and resolves once its health endpoint answers. */
export async function startService(spec: ServiceSpec): Promise<Service> {
  const service = await spawnService(spec)
  await service.healthy
  return service
}

/**
 * Spawns a service and resolves at once, with `healthy` settling when its health endpoint answers (or rejecting,
 * the service stopped, when it exits or times out first): a caller can hold every child it started — to stop them
 * all on a failure — while their health checks run side by side.
 */
export async function spawnService(spec: ServiceSpec): Promise<Service & { healthy: Promise<void> }> {
  const command = await serviceCommand(spec.script)
  // The log file is the service's own stdout/stderr (not piped through this process): its last lines survive us.
  const output = spec.logFile ? openSync(spec.logFile, 'a') : 'inherit'
  // Own process group + IPC channel (see exit-with-parent.mjs): signals reach the service from its parent only.
  const child = spawn(process.execPath, ['--import', EXIT_WITH_PARENT, ...command.args, ...spec.args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...command.env, ...spec.env },
    stdio: ['ignore', output, output, 'ipc'],
    detached: true,
  })
  if (typeof output === 'number') closeSync(output)
  const tail = () => (spec.logFile ? lastBytes(spec.logFile, 4_000) : '')
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
  const timeoutMs = spec.healthTimeoutMs ?? 120_000
  const waitHealthy = async () => {
    const deadline = performance.now() + timeoutMs
    while (performance.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new ServiceStartError(`${spec.name} exited (${await exited}) before it was healthy:\n${tail()}`)
      if (await isHealthy(spec.health)) return
      await new Promise((r) => setTimeout(r, 50))
    }
    await service.stop()
    throw new ServiceStartError(`${spec.name} not healthy at ${spec.health.url} within ${timeoutMs} ms:\n${tail()}`)
  }
  const healthy = waitHealthy()
  // a caller that stops everything after another failure may never await this one
  healthy.catch(() => undefined)
  return { ...service, healthy }
}

async function isHealthy(health: ServiceSpec['health']): Promise<boolean> {
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

/** The end of a file (a service's log), for error messages. */
function lastBytes(file: string, n: number): string {
  const fd = openSync(file, 'r')
  try {
    const size = statSync(file).size
    const buffer = Buffer.alloc(Math.min(n, size))
    readSync(fd, buffer, 0, buffer.length, size - buffer.length)
    return buffer.toString()
  } finally {
    closeSync(fd)
  }
}
