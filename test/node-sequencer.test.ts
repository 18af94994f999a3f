/**
 * The node with its sequencer wired in, on a real L1: anvil with the bedrock contracts, genesis.json + rollup.json as
 * the devnet writes them, the node started in-process (OplNode) and then as a child process through its CLI on the
 * same data dir. Real OptimismPortal and L1StandardBridge deposits are credited on L2; a viem transfer gets a receipt.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type PublicClient,
  parseAbi,
  parseEther,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { anvil as anvilChain } from 'viem/chains'
import { chainConfig, extractTransactionDepositedLogs, getL2TransactionHash } from 'viem/op-stack'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { devAccounts } from '../packages/devnet/src/accounts.js'
import type { Service } from '../packages/devnet/src/services.js'
import { type L1WithGenesis, portalDepositAbi, startL1WithGenesis } from '../packages/devnet/src/testing.js'
import { startNodeProcess, startSequencingNode } from './node-harness.js'

const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'opl-node-sequencer-'))
const dataDir = join(dir, 'l2')
const accounts = devAccounts()
const portalUser = privateKeyToAccount(accounts.users[0]!.privateKey)
const bridgeUser = privateKeyToAccount(accounts.users[1]!.privateKey)
const RECIPIENT: Address = '0x000000000000000000000000000000000000d3a0'
const RECIPIENT_2: Address = '0x000000000000000000000000000000000000d3a1'
const L1_BLOCK: Address = '0x4200000000000000000000000000000000000015'

const bridgeAbi = parseAbi(['function depositETH(uint32 _minGasLimit, bytes _extraData) payable'])
const l1BlockAbi = parseAbi(['function number() view returns (uint64)'])

let chain: L1WithGenesis
let l1: PublicClient

beforeAll(async () => {
  chain = await startL1WithGenesis({ dir, l1BlockTime: 1, l2BlockTime: 1 })
  l1 = createPublicClient({ transport: http(chain.anvil.rpc) })
}, 120_000)

afterAll(async () => {
  await chain?.anvil.stop()
  rmSync(dir, { recursive: true, force: true })
})

const l1Wallet = (account: typeof portalUser) =>
  createWalletClient({ account, chain: { ...anvilChain, id: 900 }, transport: http(chain.anvil.rpc) })

function l2Chain(rpc: string) {
  return defineChain({
    ...chainConfig,
    id: chain.rollup.l2ChainId,
    name: 'OpenLedger L2 (test)',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpc] } },
  })
}

/** `OptimismPortal.depositTransaction` of `value` to `to` on L2 by portalUser; the mined L1 receipt. */
async function depositThroughPortal(to: Address, value: bigint) {
  const hash = await l1Wallet(portalUser).writeContract({
    address: chain.deployment.contracts.OptimismPortal,
    abi: portalDepositAbi,
    functionName: 'depositTransaction',
    args: [to, value, 100_000n, false, '0x'],
    value,
  })
  return l1.waitForTransactionReceipt({ hash })
}

/** The L2 hash of the deposit an L1 receipt made (the portal's TransactionDeposited log). */
function l2HashOf(logs: Parameters<typeof extractTransactionDepositedLogs>[0]['logs']): Hex {
  const [log] = extractTransactionDepositedLogs({ logs })
  if (!log) throw new Error('no TransactionDeposited log')
  return getL2TransactionHash({ log })
}

/** Polls the L2 for a receipt (bounded: 600 polls, 200 ms apart). */
async function l2Receipt(l2: PublicClient, hash: Hex) {
  for (let i = 0; i < 600; i++) {
    const receipt = await l2.getTransactionReceipt({ hash }).catch(() => undefined)
    if (receipt) return receipt
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`no L2 receipt for ${hash}`)
}

/** Polls until the L2 head reaches `number` (bounded). */
async function headAtLeast(l2: PublicClient, number: bigint): Promise<bigint> {
  for (let i = 0; i < 600; i++) {
    const head = await l2.getBlockNumber({ cacheTime: 0 })
    if (head >= number) return head
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`L2 head did not reach ${number}`)
}

describe('opl-node sequencing on a real L1', () => {
  test('in-process: portal and bridge deposits are credited in their epoch; a viem transfer gets a receipt', async () => {
    const node = await startSequencingNode(chain, dataDir)
    try {
      expect(node.sequencer?.active()).toBe(true)
      const l2 = createPublicClient({ chain: l2Chain(node.rpc.url), transport: http(node.rpc.url) }) as PublicClient
      const genesis = await l2.getBlock({ blockNumber: 0n })
      expect(genesis.hash).toBe(chain.rollup.genesis.l2.hash)
      await headAtLeast(l2, 2n)

      const portalDeposit = await depositThroughPortal(RECIPIENT, parseEther('0.4'))
      const before = await l2.getBalance({ address: bridgeUser.address })
      const bridgeDeposit = await l1.waitForTransactionReceipt({
        hash: await l1Wallet(bridgeUser).writeContract({
          address: chain.deployment.contracts.L1StandardBridge,
          abi: bridgeAbi,
          functionName: 'depositETH',
          args: [200_000, '0x'],
          value: parseEther('1.5'),
        }),
      })

      for (const l1Receipt of [portalDeposit, bridgeDeposit]) {
        const receipt = await l2Receipt(l2, l2HashOf(l1Receipt.logs))
        expect(receipt.status).toBe('success')
        // Included in the first L2 block of the epoch whose origin is the deposit's L1 block.
        const origin = await l2.readContract({
          address: L1_BLOCK,
          abi: l1BlockAbi,
          functionName: 'number',
          blockNumber: receipt.blockNumber,
        })
        expect(origin).toBe(l1Receipt.blockNumber)
        const previousOrigin = await l2.readContract({
          address: L1_BLOCK,
          abi: l1BlockAbi,
          functionName: 'number',
          blockNumber: receipt.blockNumber - 1n,
        })
        expect(previousOrigin).toBe(l1Receipt.blockNumber - 1n)
      }
      expect(await l2.getBalance({ address: RECIPIENT })).toBe(parseEther('0.4'))
      expect((await l2.getBalance({ address: bridgeUser.address })) - before).toBe(parseEther('1.5'))

      const l2Wallet = createWalletClient({ account: portalUser, chain: l2Chain(node.rpc.url), transport: http() })
      const hash = await l2Wallet.sendTransaction({ to: RECIPIENT_2, value: parseEther('2') })
      const receipt = await l2.waitForTransactionReceipt({ hash, pollingInterval: 200 })
      expect(receipt.status).toBe('success')
      expect(await l2.getBalance({ address: RECIPIENT_2 })).toBe(parseEther('2'))
      // op-stack receipt fields: the L1 data fee was charged
      expect((receipt as unknown as { l1Fee: bigint }).l1Fee).toBeGreaterThan(0n)
    } finally {
      await node.stop()
    }
  }, 180_000)

  test('child process: opl-node (flags + OPL_NODE_* env) resumes the chain, sequences a deposit, stops on SIGTERM', async () => {
    let node: Service | undefined
    try {
      const started = await startNodeProcess(chain, dataDir, { OPL_NODE_SEQUENCER_L1_CONFS: '1' })
      node = started.node
      const rpc = started.url
      const l2 = createPublicClient({ transport: http(rpc) }) as PublicClient
      // the in-process node's blocks are there, with the transfer it made
      expect(await l2.getBalance({ address: RECIPIENT_2 })).toBe(parseEther('2'))
      const resumedAt = await l2.getBlockNumber({ cacheTime: 0 })
      await headAtLeast(l2, resumedAt + 2n)
      const deposit = await depositThroughPortal(RECIPIENT, parseEther('0.1'))
      expect((await l2Receipt(l2, l2HashOf(deposit.logs))).status).toBe('success')
      expect(await l2.getBalance({ address: RECIPIENT })).toBe(parseEther('0.5'))
      const status = (await l2.request({ method: 'optimism_syncStatus' as 'eth_chainId' })) as unknown as {
        head_l1: { number: number }
        unsafe_l2: { number: number }
      }
      expect(status.head_l1.number).toBeGreaterThan(0)
      expect(status.unsafe_l2.number).toBeGreaterThan(Number(resumedAt))
      expect(await node.stop()).toBe(0)
    } finally {
      await node?.kill()
    }
  }, 180_000)

  test('opl-node --help lists the sequencer flags with their env names; a sequencer without L1 exits 2', () => {
    const tsx = join(root, 'node_modules/.bin/tsx')
    const help = spawnSync(tsx, ['packages/node/src/cli.ts', '--help'], { cwd: root, encoding: 'utf8' })
    expect(help.status).toBe(0)
    for (const flag of [
      '--l1-rpc',
      'OPL_NODE_L1_RPC',
      '--rollup-config',
      '--sequencer-enabled',
      '--sequencer-l1-confs',
    ])
      expect(help.stdout).toContain(flag)
    const bad = spawnSync(
      tsx,
      [
        'packages/node/src/cli.ts',
        '--data-dir',
        join(dir, 'x'),
        '--genesis',
        chain.genesisFile,
        '--sequencer-enabled',
        'true',
      ],
      { cwd: root, encoding: 'utf8' },
    )
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('the sequencer needs --l1-rpc and --rollup-config')
  }, 60_000)
})
