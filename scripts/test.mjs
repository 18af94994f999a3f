// Runs every suite the README's test command promises: typecheck, lint, contract build, unit + e2e tests (vitest),
// Solidity tests (Hardhat). Keeps going after a failure so one run shows everything, then prints one closing line
// `N passed, N failed` summed over all suites and exits non-zero if anything failed.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const tmp = mkdtempSync(join(tmpdir(), 'opl-test-'))
const vitestJson = join(tmp, 'vitest.json')
const args = process.argv.slice(2)

/** Runs a command with inherited stdio while keeping a copy of its output for counting. */
function run(cmd, cmdArgs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } })
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      process.stdout.write(d)
    })
    child.stderr.on('data', (d) => {
      out += d
      process.stderr.write(d)
    })
    child.on('close', (code) => resolve({ code: code ?? 1, out }))
  })
}

const check = (r) => ({ passed: r.code === 0 ? 1 : 0, failed: r.code === 0 ? 0 : 1 })

const suites = [
  { name: 'typecheck', cmd: 'tsc', args: ['-p', 'tsconfig.json'], count: check },
  { name: 'lint', cmd: 'biome', args: ['check', '.'], count: check },
  { name: 'contracts build', cmd: 'hardhat', args: ['build', '--quiet'], count: check },
  {
    name: 'vitest',
    cmd: 'vitest',
    args: ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`, ...args],
    count: (r) => {
      try {
        const j = JSON.parse(readFileSync(vitestJson, 'utf8'))
        // A file that fails to load has no tests but is a failure.
        const failedFiles = j.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length
        return {
          passed: j.numPassedTests,
          failed:
            j.numFailedTests + failedFiles + (r.code !== 0 && j.numFailedTests === 0 && failedFiles === 0 ? 1 : 0),
        }
      } catch {
        return { passed: 0, failed: 1 }
      }
    },
  },
  {
    name: 'solidity',
    cmd: 'hardhat',
    args: ['test', 'solidity', '--no-compile'],
    count: (r) => {
      const passed = Number(/(\d+) passing/.exec(r.out)?.[1] ?? 0)
      const failed = Number(/(\d+) failing/.exec(r.out)?.[1] ?? 0)
      return { passed, failed: failed || (r.code !== 0 ? 1 : 0) }
    },
  },
]

const only = process.env.OPL_TEST_ONLY?.split(',')
let passed = 0
let failed = 0
const summary = []
for (const s of suites) {
  if (only && !only.includes(s.name)) continue
  const started = Date.now()
  console.log(`\n=== ${s.name}: ${s.cmd} ${s.args.join(' ')}`)
  const r = await run(s.cmd, s.args)
  const c = s.count(r)
  passed += c.passed
  failed += c.failed
  summary.push(
    `${s.name.padEnd(16)} ${String(c.passed).padStart(5)} passed ${String(c.failed).padStart(4)} failed  ${((Date.now() - started) / 1000).toFixed(1)}s`,
  )
}
rmSync(tmp, { recursive: true, force: true })
console.log(`\n${summary.join('\n')}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
