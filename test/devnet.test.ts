/**
 * `pnpm devnet` as a user runs it: --fresh reaches ready with anvil, the L1 deploy, the DA server, the sequencer node
 * and the batcher running and the L2 contracts deployed; Ctrl-C (SIGINT) stops every process and frees every port;
 * a second run resumes the same L1 and L2 (same block hashes, same contracts, same balances) and the L2 goes on. In
 * between, a user does what the README says: deploys a contract with Hardhat through the generated network snippet and
 * bridges ETH in through the L1StandardBridge.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createHardhatRuntimeEnvironment } from 'hardhat/hre'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  erc20Abi,
  type Hex,
  http,
  parseAbi,
  parseEther,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, expect, test } from 'vitest'
import hardhatConfig from '../hardhat.config.js'
import { parseRollupConfig } from '../packages/protocol/src/index.js'
import { type DevnetPorts, freeDevnetPorts, type RunningDevnet, startDevnet } from './devnet-harness.js'

const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'opl-devnet-'))
const dataDir = join(dir, 'devnet')
const running: RunningDevnet[] = []

afterAll(async () => {
  // a test that failed half way leaves its devnet running: stopped (and killed with its services if it hangs)
  for (const devnet of running) await devnet.stop(30_000)
  rmSync(dir, { recursive: true, force: true })
}, 120_000)

async function start(ports: DevnetPorts, args: string[] = []): Promise<RunningDevnet> {
  const devnet = await startDevnet({ dataDir, ports, args })
  running.push(devnet)
  console.log(
    devnet
      .stdout()
      .split('\n')
      .find((l) => l.includes('devnet ready')),
  )
  return devnet
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer()
    server.once('error', () => done(false))
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)))
  })
}

async function nextBlock(rpc: string, after: bigint): Promise<bigint> {
  const l2 = createPublicClient({ transport: http(rpc) })
  for (let i = 0; i < 600; i++) {
    const head = await l2.getBlockNumber({ cacheTime: 0 })
    if (head > after) return head
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`L2 stuck at ${after}`)
}

type Ref = { number: number; hash: Hex }

async function safeHeadAbove(rpc: string, number: number): Promise<Ref> {
  for (let i = 0; i < 600; i++) {
    const res = await fetch(rpc, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'optimism_syncStatus', params: [] }),
    })
    const { result } = (await res.json()) as { result: { safe_l2: Ref } }
    if (result.safe_l2.number > number) return result.safe_l2
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`safe head stuck at ${number}`)
}

/** Each service's ops endpoints (base URL from the ports) and one metric of its own that /metrics must carry. */
function opsEndpoints(ports: DevnetPorts): Array<{ name: string; url: string; metric: string }> {
  const at = (flag: keyof DevnetPorts) => `http://127.0.0.1:${ports[flag]}`
  return [
    { name: 'opl-node', url: at('--l2-port'), metric: 'opl_node_head_number' },
    { name: 'opl-node verifier', url: at('--verifier-port'), metric: 'opl_node_head_number' },
    { name: 'opl-da-server', url: at('--da-port'), metric: 'opl_da_server_puts_total' },
    { name: 'opl-batcher', url: at('--batcher-port'), metric: 'opl_batcher_l1_bytes_posted_total' },
    { name: 'opl-proposer', url: at('--proposer-port'), metric: 'opl_proposer_proposals_total' },
    { name: 'opl-relayer', url: at('--relayer-port'), metric: 'opl_relayer_proven_total' },
    { name: 'opl-attribution', url: at('--attribution-port'), metric: 'opl_attribution_query_seconds' },
  ]
}

const l1BridgeAbi = parseAbi(['function depositETH(uint32 minGasLimit, bytes extraData) payable'])
const BRIDGED = parseEther('1.25')

/** Hardhat 3 with the devnet's generated `hardhat-network.ts` pasted into the project's config. */
async function deployWithHardhat(): Promise<{ token: Address; holder: Address }> {
  const { oplDevnet } = await import(join(dataDir, 'hardhat-network.ts'))
  const hre = await createHardhatRuntimeEnvironment(
    { ...hardhatConfig, networks: { ...hardhatConfig.networks, oplDevnet } },
    {},
    root,
  )
  const { viem } = await hre.network.connect({ network: 'oplDevnet' })
  const [wallet] = await viem.getWalletClients({ pollingInterval: 200 })
  const holder = wallet!.account.address
  const { address } = await viem.deployContract('OpenToken', [holder])
  return { token: address, holder }
}

async function waitForBalance(rpc: string, who: Address, atLeast: bigint): Promise<bigint> {
  const l2 = createPublicClient({ transport: http(rpc) })
  for (let i = 0; i < 300; i++) {
    const balance = await l2.getBalance({ address: who })
    if (balance >= atLeast) return balance
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`L2 balance of ${who} never reached ${atLeast}`)
}

const l2TokenAbi = parseAbi([
  'function remoteToken() view returns (address)',
  'function symbol() view returns (string)',
])

test('pnpm devnet --fresh reaches ready with an L2 producing blocks and a moving safe head; Ctrl-C stops all; a second run resumes', async () => {
  const ports = await freeDevnetPorts()
  const first = await start(ports, ['--fresh', '--verifier', '--demo'])
  for (const file of [
    'genesis.json',
    'rollup.json',
    'devnet.json',
    'deployment.json',
    'chain.ts',
    'hardhat-network.ts',
  ])
    expect(existsSync(join(dataDir, file)), file).toBe(true)
  const devnet = JSON.parse(readFileSync(join(dataDir, 'devnet.json'), 'utf8'))
  // every service answers /healthz, /readyz and /metrics (Prometheus text with its own metrics)
  for (const { name, url, metric } of opsEndpoints(ports)) {
    for (const path of ['/healthz', '/readyz'])
      expect((await fetch(`${url}${path}`)).status, `${name} ${path}`).toBe(200)
    const metrics = await fetch(`${url}/metrics`)
    expect(metrics.status, `${name} /metrics`).toBe(200)
    expect(await metrics.text(), `${name} /metrics`).toContain(`# TYPE ${metric} `)
  }
  // --demo: a Datanet, approved contributions, a large and a small model, two paid inferences attributed
  expect(devnet.attributionApi).toBe(`http://127.0.0.1:${ports['--attribution-port']}`)
  expect(first.stdout()).toContain('"msg":"demo seeded"')
  const health = (await (await fetch(`${devnet.attributionApi}/healthz`)).json()) as { contributions: number }
  expect(health.contributions).toBe(2)
  const rollup = parseRollupConfig(readFileSync(join(dataDir, 'rollup.json'), 'utf8'))
  expect(devnet.l1).toEqual({ rpc: `http://127.0.0.1:${ports['--l1-port']}`, chainId: 900 })
  expect(devnet.l2).toEqual({
    rpc: `http://127.0.0.1:${ports['--l2-port']}`,
    ws: `ws://127.0.0.1:${ports['--l2-port']}`,
    chainId: 901,
    verifierRpc: `http://127.0.0.1:${ports['--verifier-port']}`,
  })
  expect(devnet.rollupRpc).toBe(devnet.l2.rpc)
  expect(devnet.daServer).toBe(`http://127.0.0.1:${ports['--da-port']}`)
  expect(devnet.l2Genesis.hash).toBe(rollup.genesis.l2.hash)
  expect(Object.keys(devnet.contracts.l1)).toEqual(
    expect.arrayContaining(['OptimismPortal', 'L2OutputOracle', 'SystemConfig', 'L1StandardBridge', 'OPEN']),
  )

  const l2 = createPublicClient({ transport: http(devnet.l2.rpc) })
  expect((await l2.getBlock({ blockNumber: 0n })).hash).toBe(rollup.genesis.l2.hash)
  const l2Contracts = devnet.contracts.l2 as Record<string, Address>
  for (const name of ['OPEN', 'DatanetRegistry', 'ModelRegistry', 'AttributionRewards'])
    expect(await l2.getCode({ address: l2Contracts[name]! }), name).toMatch(/^0x60/)
  // the L2 OPEN is the standard bridge's mintable twin of the L1 OPEN
  const open = { address: l2Contracts.OPEN!, abi: l2TokenAbi } as const
  expect(await l2.readContract({ ...open, functionName: 'remoteToken' })).toBe(devnet.contracts.l1.OPEN)
  expect(await l2.readContract({ ...open, functionName: 'symbol' })).toBe('OPEN')
  const chainFile = readFileSync(join(dataDir, 'chain.ts'), 'utf8')
  expect(chainFile).toContain('sourceId: 900')
  expect(chainFile).toContain(devnet.contracts.l1.OptimismPortal)
  expect(readFileSync(join(dataDir, 'hardhat-network.ts'), 'utf8')).toContain(`url: '${devnet.l2.rpc}'`)

  // a dApp developer deploys with Hardhat on the L2 through the generated network snippet
  const deployed = await deployWithHardhat()
  const token = { address: deployed.token, abi: erc20Abi } as const
  expect(await l2.readContract({ ...token, functionName: 'symbol' })).toBe('OPEN')
  const supply = await l2.readContract({ ...token, functionName: 'balanceOf', args: [deployed.holder] })
  expect(supply).toBeGreaterThan(0n)

  // a bridge user sends ETH in through the L1StandardBridge; the L2 credits it in a following epoch
  const bridger = privateKeyToAccount(devnet.accounts.users[1].privateKey)
  const l1 = createPublicClient({ transport: http(devnet.l1.rpc) })
  const before = await l2.getBalance({ address: bridger.address })
  const l1Wallet = createWalletClient({ account: bridger, transport: http(devnet.l1.rpc) })
  const deposit = await l1Wallet.writeContract({
    address: devnet.contracts.l1.L1StandardBridge,
    abi: l1BridgeAbi,
    functionName: 'depositETH',
    args: [200_000, '0x'],
    value: BRIDGED,
    chain: null,
  })
  expect((await l1.waitForTransactionReceipt({ hash: deposit, pollingInterval: 200 })).status).toBe('success')
  expect(await waitForBalance(devnet.l2.rpc, bridger.address, before + BRIDGED)).toBe(before + BRIDGED)

  // the batcher posts to the DA server, the node derives its own blocks back from L1: the safe head moves
  const safe = await safeHeadAbove(devnet.l2.rpc, 0)
  expect(await l2.getBlock({ blockNumber: BigInt(safe.number) }).then((b) => b.hash)).toBe(safe.hash)
  // --verifier: a second node derives the same chain from L1 + DA alone
  const derived = await safeHeadAbove(devnet.l2.verifierRpc, safe.number - 1)
  const verifier = createPublicClient({ transport: http(devnet.l2.verifierRpc) })
  expect((await verifier.getBlock({ blockNumber: BigInt(derived.number) })).hash).toBe(
    (await l2.getBlock({ blockNumber: BigInt(derived.number) })).hash,
  )
  const head = await nextBlock(devnet.l2.rpc, 1n)
  const headHash: Hex = (await l2.getBlock({ blockNumber: head })).hash
  const l2Balance = await l2.getBalance({ address: bridger.address })
  const l1Balance = await l1.getBalance({ address: bridger.address })
  const l1Head = await l1.getBlock({ blockTag: 'latest' })
  expect(await first.stop()).toBe(0)
  for (const [name, port] of Object.entries(ports)) expect(await portFree(port), `${name} port ${port}`).toBe(true)

  const second = await start(ports)
  try {
    expect(second.stdout()).toContain('resuming')
    const again = JSON.parse(readFileSync(join(dataDir, 'devnet.json'), 'utf8'))
    expect(again.contracts).toEqual(devnet.contracts)
    expect(again.l2Genesis).toEqual(devnet.l2Genesis)
    expect((await l2.getBlock({ blockNumber: head })).hash).toBe(headHash)
    expect(await l2.getBalance({ address: bridger.address })).toBe(l2Balance)
    expect(await l1.getBalance({ address: bridger.address })).toBe(l1Balance)
    expect(await l2.readContract({ ...token, functionName: 'balanceOf', args: [deployed.holder] })).toBe(supply)
    // anvil dumped its chain on exit and loaded it again: the L1 blocks seen before the stop are still there
    expect((await l1.getBlock({ blockNumber: l1Head.number })).hash).toBe(l1Head.hash)
    await nextBlock(devnet.l2.rpc, head)
    // the persisted safe head survived the restart and derivation goes on from it
    await safeHeadAbove(devnet.l2.rpc, safe.number)
    expect(await l2.getCode({ address: l2Contracts.AttributionRewards! })).toMatch(/^0x60/)
  } finally {
    expect(await second.stop()).toBe(0)
  }
  for (const [name, port] of Object.entries(ports)) expect(await portFree(port), `${name} port ${port}`).toBe(true)
}, 1_200_000)
