/**
 * `opl-node --mode verifier` end to end: anvil with the bedrock contracts, the dev DA server, a sequencing opl-node
 * (in-process, its clock running SPEED× real time, so a block every 1/SPEED s) and the real batcher posting span
 * batches as EigenDA generic commitments. A verifier opl-node — a child process started from genesis, knowing only
 * the L1 RPC, the DA server and rollup.json + genesis.json — derives every block while ≥ 200 L2 blocks are made with
 * ETH transfers, an ERC-20 deployed and called, and OptimismPortal deposits. It is killed with SIGKILL mid-sync and
 * restarted on the same data dir (this time forwarding eth_sendRawTransaction to the sequencer); it resumes and ends
 * with the sequencer's block hashes, output roots and safe head, and its finalized head follows L1 finality.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type PrivateKeyAccount,
  parseEther,
  zeroAddress,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { anvil as anvilChain } from 'viem/chains'
import { extractTransactionDepositedLogs, getL2TransactionHash } from 'viem/op-stack'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { BatcherConfig, createBatcherService } from '../packages/batcher/src/index.js'
import { type DaServer, DaServerConfig, startDaServer } from '../packages/da-server/src/index.js'
import { devAccounts } from '../packages/devnet/src/accounts.js'
import type { Service } from '../packages/devnet/src/services.js'
import { type L1WithGenesis, portalDepositAbi, startL1WithGenesis } from '../packages/devnet/src/testing.js'
import type { OplNode } from '../packages/node/src/node.js'
import { startNodeProcess, startSequencingNode, until } from './node-harness.js'

const SPEED = 4
const TARGET = 250n
const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'opl-verifier-e2e-'))
const verifierDir = join(dir, 'verifier')
const accounts = devAccounts()
const depositor = privateKeyToAccount(accounts.users[0]!.privateKey)
const payer = privateKeyToAccount(accounts.users[2]!.privateKey)
const tokenOwner = privateKeyToAccount(accounts.users[3]!.privateKey)
const viaVerifier = privateKeyToAccount(accounts.users[4]!.privateKey)
const RECIPIENT: Address = '0x000000000000000000000000000000000000d3a9'
const FEES = { maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 6n }
const token = JSON.parse(
  readFileSync(join(root, 'artifacts/contracts/token/OpenToken.sol/OpenToken.json'), 'utf8'),
) as { abi: Abi; bytecode: Hex }

let chain: L1WithGenesis
let da: DaServer
let sequencer: OplNode
let batcher: Awaited<ReturnType<typeof createBatcherService>>
let verifier: { node: Service; url: string } | undefined

type SyncStatus = Record<'unsafe_l2' | 'safe_l2' | 'finalized_l2', { number: number; hash: Hex }> & {
  current_l1: { number: number }
}

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await response.json()) as { result?: T; error?: { code: number; message: string } }
  if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code })
  return body.result as T
}

/** Block hashes 0..to in one JSON-RPC batch. */
async function hashes(url: string, to: bigint): Promise<Hex[]> {
  const calls = Array.from({ length: Number(to) + 1 }, (_, i) => ({
    jsonrpc: '2.0',
    id: i,
    method: 'eth_getBlockByNumber',
    params: [`0x${i.toString(16)}`, false],
  }))
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(calls) })
  const answers = (await response.json()) as { id: number; result: { hash: Hex } | null }[]
  return answers.sort((a, b) => a.id - b.id).map((a) => a.result?.hash ?? '0x')
}

const l2Chain = () =>
  defineChain({
    id: chain.rollup.l2ChainId,
    name: 'OpenLedger L2 (verifier test)',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [sequencer.rpc.url] } },
  })
const l2Wallet = (account: PrivateKeyAccount, url = sequencer.rpc.url) =>
  createWalletClient({ account, chain: l2Chain(), transport: http(url) })
const l2 = () => createPublicClient({ chain: l2Chain(), transport: http(sequencer.rpc.url) })
const l1 = () => createPublicClient({ transport: http(chain.anvil.rpc) })

/** A portal deposit of 0.25 ETH to RECIPIENT; the L2 hash it will have. */
async function deposit(): Promise<Hex> {
  const wallet = createWalletClient({
    account: depositor,
    chain: { ...anvilChain, id: 900 },
    transport: http(chain.anvil.rpc),
  })
  const hash = await wallet.writeContract({
    address: chain.deployment.contracts.OptimismPortal,
    abi: portalDepositAbi,
    functionName: 'depositTransaction',
    args: [RECIPIENT, parseEther('0.25'), 100_000n, false, '0x'],
    value: parseEther('0.25'),
  })
  const receipt = await l1().waitForTransactionReceipt({ hash, pollingInterval: 200 })
  const [log] = extractTransactionDepositedLogs({ logs: receipt.logs })
  return getL2TransactionHash({ log: log! })
}

const startVerifier = (env: Record<string, string> = {}) =>
  startNodeProcess(chain, verifierDir, { OPL_NODE_MODE: 'verifier', OPL_NODE_DA_SERVER: da.url, ...env })

beforeAll(async () => {
  chain = await startL1WithGenesis({
    dir,
    l1BlockTime: 1,
    l2BlockTime: 1,
    genesis: {
      altDa: {
        commitmentType: 'GenericCommitment',
        challengeContractAddress: zeroAddress,
        challengeWindow: 160n,
        resolveWindow: 160n,
      },
    },
  })
  da = await startDaServer({ config: DaServerConfig.parse({ dataDir: join(dir, 'da'), port: 0, logLevel: 'silent' }) })
  const started = Date.now()
  sequencer = await startSequencingNode(chain, join(dir, 'sequencer'), {
    config: { daServer: da.url },
    clock: () => started + (Date.now() - started) * SPEED,
  })
  batcher = await createBatcherService(
    BatcherConfig.parse({
      l1Rpc: chain.anvil.rpc,
      l2Rpc: sequencer.rpc.url,
      rollupRpc: sequencer.rpc.url,
      privateKey: accounts.batcher.privateKey,
      daServer: da.url,
      maxChannelDuration: 2,
      pollIntervalMs: 250,
      maxPendingTx: 4,
      metricsEnabled: false,
      logLevel: 'silent',
    }),
    { rollup: chain.rollup },
  )
  batcher.batcher.start()
  verifier = await startVerifier()
}, 180_000)

afterAll(async () => {
  await verifier?.node.stop()
  await batcher?.stop()
  await sequencer?.stop()
  await da?.close()
  await chain?.anvil.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('opl-node --mode verifier', () => {
  test('derives ≥ 200 blocks of transfers, an ERC-20 and deposits from L1 + DA, survives kill -9, ends with the same hashes, outputs and heads', async () => {
    const deployed = await l2().waitForTransactionReceipt({
      hash: await l2Wallet(tokenOwner).deployContract({
        abi: token.abi,
        bytecode: token.bytecode,
        args: [tokenOwner.address],
        nonce: 0,
        gas: 3_000_000n,
        ...FEES,
      }),
      pollingInterval: 100,
    })
    expect(deployed.status).toBe('success')
    const tokenAddress = deployed.contractAddress!

    // a verifier has no pool: without --sequencer-http it says so
    const refused = await rpc(verifier!.url, 'eth_sendRawTransaction', ['0x02']).catch((e: Error) => e)
    expect((refused as Error).message).toMatch(/verifier without --sequencer-http/)
    await expect(rpc(verifier!.url, 'admin_startSequencer', [deployed.blockHash])).rejects.toThrow(/is a verifier/)

    // kill -9 mid-sync (the verifier has derived some blocks, the sequencer is ahead), restart on the same data dir
    let killedAt: bigint | undefined
    let resumedAt: bigint | undefined
    const chaos = (async () => {
      const running = verifier!
      killedAt = await until('the verifier to derive 40 blocks', async () => {
        const verified = BigInt(await rpc<Hex>(running.url, 'eth_blockNumber'))
        return verified >= 40n ? verified : undefined
      })
      await running.node.kill()
      verifier = undefined
      verifier = await startVerifier({ OPL_NODE_SEQUENCER_HTTP: sequencer.rpc.url })
      // every block derived before the kill was durable (fsync per block): the restart resumes above them
      resumedAt = BigInt(await rpc<Hex>(verifier.url, 'eth_blockNumber'))
    })()

    const deposits: Hex[] = [await deposit()]
    for (let i = 0; i < 2_000; i++) {
      if ((await l2().getBlockNumber({ cacheTime: 0 })) >= TARGET) break
      await l2Wallet(payer).sendTransaction({ to: RECIPIENT, value: BigInt(i + 1), nonce: i, gas: 21_000n, ...FEES })
      const call = await l2Wallet(tokenOwner).writeContract({
        address: tokenAddress,
        abi: token.abi,
        functionName: 'transfer',
        args: [RECIPIENT, BigInt(i + 1)],
        nonce: i + 1,
        gas: 100_000n,
        ...FEES,
      })
      await l2().waitForTransactionReceipt({ hash: call, pollingInterval: 100 })
      if (i === 5 || i === 15) deposits.push(await deposit())
    }
    await chaos
    expect(resumedAt).toBeGreaterThanOrEqual(killedAt!)
    expect(deposits).toHaveLength(3)

    // the restarted verifier forwards a raw tx to the sequencer (op-geth --rollup.sequencerhttp)
    const signed = await l2Wallet(viaVerifier).signTransaction({
      to: RECIPIENT,
      value: 1n,
      nonce: 0,
      gas: 21_000n,
      ...FEES,
    })
    const forwarded = await rpc<Hex>(verifier!.url, 'eth_sendRawTransaction', [signed])
    const forwardedReceipt = await l2().waitForTransactionReceipt({ hash: forwarded, pollingInterval: 100 })
    const target = forwardedReceipt.blockNumber > TARGET ? forwardedReceipt.blockNumber : TARGET

    const status = await until('the verifier safe head at the target', async () => {
      const s = await rpc<SyncStatus>(verifier!.url, 'optimism_syncStatus')
      return BigInt(s.safe_l2.number) >= target ? s : undefined
    })
    const [sequenced, verified] = await Promise.all([hashes(sequencer.rpc.url, target), hashes(verifier!.url, target)])
    expect(sequenced).toHaveLength(Number(target) + 1)
    expect(verified).toEqual(sequenced)
    expect(status.safe_l2.hash).toBe((await hashes(sequencer.rpc.url, BigInt(status.safe_l2.number))).at(-1))
    expect(status.unsafe_l2.number).toBeGreaterThanOrEqual(status.safe_l2.number)
    expect(status.current_l1.number).toBeGreaterThan(0)

    for (const number of [1n, killedAt!, TARGET / 2n, target]) {
      const at = `0x${number.toString(16)}`
      const [a, b] = await Promise.all([
        rpc<{ outputRoot: Hex }>(sequencer.rpc.url, 'optimism_outputAtBlock', [at]),
        rpc<{ outputRoot: Hex }>(verifier!.url, 'optimism_outputAtBlock', [at]),
      ])
      expect(b.outputRoot).toBe(a.outputRoot)
    }
    for (const hash of [...deposits, forwarded, deployed.transactionHash]) {
      const receipt = await rpc<{ status: Hex; blockHash: Hex }>(verifier!.url, 'eth_getTransactionReceipt', [hash])
      expect(receipt.status).toBe('0x1')
      expect(receipt.blockHash).toBe((await l2().getTransactionReceipt({ hash })).blockHash)
    }
    // ready = derivation reached the L1 head since the restart (it may still be reading the last L1 blocks)
    const ready = await until('/readyz 200', async () => {
      const response = await fetch(`${verifier!.url}/readyz`)
      return response.status === 200 ? ((await response.json()) as { ready: boolean; safe: number }) : undefined
    })
    expect(ready).toMatchObject({ ready: true })
    expect(BigInt(ready.safe)).toBeGreaterThanOrEqual(target)

    // bury the batches under L1 finality (anvil finalizes 64 blocks behind its head): the verifier follows
    await l1().request({ method: 'anvil_mine' as never, params: ['0x50'] as never })
    const final = await until('the verifier finalized head at the target', async () => {
      const s = await rpc<SyncStatus>(verifier!.url, 'optimism_syncStatus')
      return BigInt(s.finalized_l2.number) >= target ? s : undefined
    })
    expect(final.finalized_l2.hash).toBe((await hashes(sequencer.rpc.url, BigInt(final.finalized_l2.number))).at(-1))
  }, 420_000)
})
