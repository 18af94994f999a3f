import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { freePort } from './ports.js'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
/** The process group of `pid` (field 5 of /proc/<pid>/stat, after the parenthesised command name). */
const processGroup = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[2])

test('a spawned service runs in its own process group and stops itself when its parent is killed with SIGKILL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'opl-services-'))
  dirs.push(dir)
  const port = await freePort()
  // A parent process (as the devnet is) that spawns the DA server and prints its PID once healthy.
  const code = `
    import { spawnService } from ${JSON.stringify(join(import.meta.dirname, 'services.ts'))}
    const s = await spawnService({
      name: 'opl-da-server',
      script: 'packages/da-server/src/cli.ts',
      args: ['--data-dir', ${JSON.stringify(dir)}, '--port', '${port}'],
      health: { url: 'http://127.0.0.1:${port}/health' },
      logFile: ${JSON.stringify(join(dir, 'da-server.log'))},
    })
    await s.healthy
    console.log('pid', s.pid)
  `
  const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    const pid = await new Promise<number>((resolve, reject) => {
      let out = ''
      parent.stdout.on('data', (d) => {
        out += d
        const m = /pid (\d+)/.exec(out)
        if (m) resolve(Number(m[1]))
      })
      parent.once('exit', (c) => reject(new Error(`parent exited (${c}) before the service was healthy: ${out}`)))
    })
    expect(alive(pid)).toBe(true)
    expect(processGroup(pid)).toBe(pid)
    expect(processGroup(pid)).not.toBe(processGroup(parent.pid!))

    parent.kill('SIGKILL')
    for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100))
    expect(alive(pid)).toBe(false)
    // it stopped through its SIGTERM path (the IPC channel closed), not killed
    expect(readFileSync(join(dir, 'da-server.log'), 'utf8')).toMatch(/SIGTERM/)
  } finally {
    if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL')
  }
}, 60_000)
