/**
 * `pnpm devnet` start-up as a user sees it: wall clock from spawning the CLI to its ready line (fresh data dir, then a
 * resume of the same dir), time from ready to the first L2 block after it, and where the start-up time goes (gaps
 * between the CLI's own log lines). Side by side: a bare anvil start on the same machine, the floor any devnet pays.
 *
 *   pnpm exec tsx bench/devnet.ts [--runs 3] [--write]   (--write: bench/results/devnet.latest.md, to paste into devnet.md)
 *
 * Contracts must be compiled first (`pnpm build:contracts`), as after `pnpm test` or a first `pnpm devnet`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { createPublicClient, http } from 'viem'
import { startAnvil } from '../packages/devnet/src/anvil.js'
import { freePort } from '../packages/devnet/src/ports.js'
import { type RunningDevnet, startDevnet } from '../test/devnet-harness.js'
import { fmt, median } from './lib/workload.js'

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, write: { type: 'boolean', default: false } },
})
const runs = Number(values.runs)

type Stage = { msg: string; ms: number }
type Run = { readyMs: number; firstBlockMs: number; cpuMs: number; stages: Stage[] }

/**
 * CPU time (user + system) the devnet CLI and every process under it (anvil, the services, their reaped children)
 * have used so far, from /proc: unlike wall time it barely depends on what else loads the machine, and on 2 idle
 * cores the start-up cannot take less wall time than half of it.
 */
function treeCpuMs(root: number): number {
  const stats = new Map<number, { ppid: number; ticks: number }>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // fields after the command (which may hold spaces): state ppid … utime(14) stime(15) cutime(16) cstime(17)
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      stats.set(Number(entry), {
        ppid: Number(f[1]),
        ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]),
      })
    } catch {}
  }
  let ticks = 0
  const walk = (pid: number) => {
    ticks += stats.get(pid)?.ticks ?? 0
    for (const [child, s] of stats) if (s.ppid === pid) walk(child)
  }
  walk(root)
  return ticks * 10 // USER_HZ is 100 on Linux
}

/** The CLI's pino lines in order, each with the time since the previous one. */
function stagesOf(stdout: string): Stage[] {
  const lines = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { time: number; msg: string })
  return lines.slice(1).map((line, i) => ({ msg: line.msg, ms: line.time - lines[i]!.time }))
}

async function firstBlockAfterReady(devnet: RunningDevnet, readyAt: number): Promise<number> {
  const l2 = createPublicClient({ transport: http(devnet.json.l2.rpc) })
  const start = await l2.getBlockNumber({ cacheTime: 0 })
  for (let i = 0; i < 300; i++) {
    if ((await l2.getBlockNumber({ cacheTime: 0 })) > start) return performance.now() - readyAt
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error('no L2 block within 6 s of ready')
}

async function runOnce(dataDir: string, fresh: boolean): Promise<Run> {
  const t0 = performance.now()
  const devnet = await startDevnet({ dataDir, args: fresh ? ['--fresh'] : [] })
  const readyAt = performance.now()
  const cpuMs = treeCpuMs(devnet.child.pid!)
  const firstBlockMs = await firstBlockAfterReady(devnet, readyAt).finally(() => devnet.stop())
  if (devnet.child.exitCode !== 0) throw new Error(`devnet exited with ${devnet.child.exitCode}`)
  return { readyMs: readyAt - t0, firstBlockMs, cpuMs, stages: stagesOf(devnet.stdout()) }
}

async function anvilStartMs(): Promise<number> {
  const t0 = performance.now()
  const anvil = await startAnvil({ port: await freePort(), chainId: 900, blockTime: 1 })
  const ms = performance.now() - t0
  await anvil.stop()
  return ms
}

const dir = mkdtempSync(join(tmpdir(), 'opl-bench-devnet-'))
const fresh: Run[] = []
const resumed: Run[] = []
const anvil: number[] = []
try {
  for (let i = 0; i < runs; i++) {
    const dataDir = join(dir, `run-${i}`)
    fresh.push(await runOnce(dataDir, true))
    resumed.push(await runOnce(dataDir, false))
    anvil.push(await anvilStartMs())
    console.log(
      `run ${i + 1}/${runs}: fresh ready ${fmt(fresh.at(-1)!.readyMs / 1000, 1)} s (${fmt(fresh.at(-1)!.cpuMs / 1000, 1)} CPU-s), resume ready ${fmt(resumed.at(-1)!.readyMs / 1000, 1)} s (${fmt(resumed.at(-1)!.cpuMs / 1000, 1)} CPU-s), anvil alone ${fmt(anvil.at(-1)!, 0)} ms`,
    )
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const med = (xs: number[]) => median(xs)
const slowest = (run: Run) =>
  [...run.stages]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 6)
    .map((s) => `| ${s.msg} | ${fmt(s.ms, 0)} |`)
const report = [
  `devnet start-up, median of ${runs} runs (load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)} at the end)`,
  '',
  '| | fresh | resume | anvil alone |',
  '|---|---|---|---|',
  `| to ready line | ${fmt(med(fresh.map((r) => r.readyMs)) / 1000, 1)} s | ${fmt(med(resumed.map((r) => r.readyMs)) / 1000, 1)} s | ${fmt(med(anvil), 0)} ms |`,
  `| CPU to ready (devnet + children, user + sys) | ${fmt(med(fresh.map((r) => r.cpuMs)) / 1000, 1)} s | ${fmt(med(resumed.map((r) => r.cpuMs)) / 1000, 1)} s | |`,
  `| ready → next L2 block | ${fmt(med(fresh.map((r) => r.firstBlockMs)), 0)} ms | ${fmt(med(resumed.map((r) => r.firstBlockMs)), 0)} ms | |`,
  `| ratio to anvil alone | ${fmt(med(fresh.map((r) => r.readyMs)) / med(anvil), 1)}× | ${fmt(med(resumed.map((r) => r.readyMs)) / med(anvil), 1)}× | 1× |`,
  '',
  'slowest steps of the last fresh run (ms until the log line):',
  '',
  '| log line | ms |',
  '|---|---|',
  ...slowest(fresh.at(-1)!),
].join('\n')
console.log(`\n${report}`)
if (values.write) writeFileSync(join(import.meta.dirname, 'results', 'devnet.latest.md'), `${report}\n`)
