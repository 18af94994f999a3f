import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createPublicClient, http } from 'viem'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type Anvil, devAccounts, freePort, startAnvil } from '../packages/devnet/src/index.js'

const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'opl-deploy-cli-'))
const accounts = devAccounts()
let anvil: Anvil

type Run = { code: number | null; stdout: string; stderr: string }

/** Runs a CLI to completion (bounded), or until `until` matches its stdout, then stops it by PID. (The devnet: devnet.test.ts.) */
function run(args: string[], env: Record<string, string>, until?: RegExp): Promise<Run & { child: ChildProcess }> {
  return new Promise((done) => {
    const child = spawn(join(root, 'node_modules/.bin/tsx'), args, { cwd: root, env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000)
    child.stdout.on('data', (d) => {
      stdout += d
      if (until?.test(stdout)) child.kill('SIGINT')
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      done({ code, stdout, stderr, child })
    })
  })
}

beforeAll(async () => {
  anvil = await startAnvil({ port: await freePort(), chainId: 900 })
})
afterAll(async () => {
  await anvil?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('opl-deploy reads OPL_DEPLOY_* env and flags, deploys, prints progress and the deployment', async () => {
  const out = join(dir, 'deployment.json')
  const result = await run(['packages/devnet/src/deploy/cli.ts', '--l2-chain-id', '901', '--out', out], {
    OPL_DEPLOY_L1_RPC: anvil.rpc,
    OPL_DEPLOY_DEPLOYER_KEY: accounts.deployer.privateKey,
    OPL_DEPLOY_BATCHER: accounts.batcher.address,
    OPL_DEPLOY_PROPOSER: accounts.proposer.address,
    OPL_DEPLOY_FINALIZATION_PERIOD_SECONDS: '12',
  })
  console.log(
    result.stderr
      .split('\n')
      .filter((l) => l.startsWith('L1 deployed'))
      .join('\n'),
  )
  expect(result.code).toBe(0)
  expect(result.stderr).toMatch(/\[26\/26\] initialize L2OutputOracle/)
  expect(result.stderr + result.stdout).not.toContain(accounts.deployer.privateKey.slice(2))
  const deployment = JSON.parse(readFileSync(out, 'utf8'))
  expect(JSON.parse(result.stdout)).toEqual(deployment)
  const l1 = createPublicClient({ transport: http(anvil.rpc) })
  expect(await l1.getCode({ address: deployment.contracts.OptimismPortal })).toMatch(/^0x60/)
  expect(deployment.config.finalizationPeriodSeconds).toBe(12)
})

test('opl-deploy exits 2 naming the bad field', async () => {
  const result = await run(['packages/devnet/src/deploy/cli.ts', '--l1-rpc', anvil.rpc, '--batcher', '0xnope'], {
    OPL_DEPLOY_DEPLOYER_KEY: accounts.deployer.privateKey,
  })
  expect(result.code).toBe(2)
  expect(result.stderr).toMatch(/l2ChainId is required/)
  expect(result.stderr).toMatch(/batcher is not a 20-byte hex address/)
  expect(result.stderr).toMatch(/proposer is required/)
})
