/**
 * The verifier end to end: a sequencer on anvil (bedrock deployed, a real portal deposit) produces L2 blocks with
 * transfers; the real batcher posts them — first as EigenDA generic commitments to the dev DA server, then as plain
 * calldata frames; a fresh engine from the same genesis derives the chain from L1 + DA alone and must produce the
 * same block hashes, with the safe head at the sequencer's head and the finalized head following L1 finality.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bytesToHex, createPublicClient, createWalletClient, type Hex, http, parseEther, zeroAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { anvil as anvilChain } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  type L2Block as BatcherBlock,
  BatcherConfig,
  createBatcherService,
  MemoryL2Source,
} from '../packages/batcher/src/index.js'
import { type DaServer, DaServerConfig, startDaServer } from '../packages/da-server/src/index.js'
import { devAccounts } from '../packages/devnet/src/accounts.js'
import type { Anvil } from '../packages/devnet/src/anvil.js'
import type { DevnetGenesis } from '../packages/devnet/src/l2-genesis.js'
import { portalDepositAbi, startL1Rollup } from '../packages/devnet/src/testing.js'
import { HttpDaSource } from '../packages/node/src/derivation/da-source.js'
import { Derivation } from '../packages/node/src/derivation/derivation.js'
import { EngineChain } from '../packages/node/src/derivation/engine-chain.js'
import { ViemL1TransactionSource } from '../packages/node/src/derivation/l1-transactions.js'
import { batcherViewOf, chainSequencer, engineAtGenesis } from '../packages/node/src/derivation/test-support.js'
import type { Engine } from '../packages/node/src/engine/engine.js'
import { eip1559Tx } from '../packages/node/src/engine/testing/fixtures.js'
import { ViemL1Source } from '../packages/node/src/l1/viem-l1-source.js'
import { blobBaseFeeUpdateFraction } from '../packages/node/src/sequencer/config.js'
import type { SequencedBlock } from '../packages/node/src/sequencer/sequencer.js'
import type { RollupConfig } from '../packages/protocol/src/index.js'

const accounts = devAccounts()
const user = privateKeyToAccount(accounts.users[0]!.privateKey)
const RECIPIENT = '0x000000000000000000000000000000000000d3a1' as const
const L2_BLOCKS = 60

let anvil: Anvil
let da: DaServer
let dataDir: string
let devnet: DevnetGenesis
let rollup: RollupConfig
const sequenced: SequencedBlock[] = []

const engineFor = (genesis: DevnetGenesis): Promise<Engine> => engineAtGenesis(genesis.rollup, genesis.genesis)

const l1Client = () => createPublicClient({ transport: http(anvil.rpc, { retryCount: 0 }) })

/** What the batcher reads from the node for a sequenced block. */
const batcherBlock = (block: SequencedBlock): BatcherBlock => batcherViewOf(rollup, block.block)

async function runBatcher(source: MemoryL2Source, daServer: string): Promise<void> {
  const config = BatcherConfig.parse({
    l1Rpc: anvil.rpc,
    l2Rpc: 'http://127.0.0.1:1',
    rollupRpc: 'http://127.0.0.1:1',
    privateKey: accounts.batcher.privateKey,
    daServer,
    maxL1TxSizeBytes: 3000,
    targetNumFrames: 3,
    maxChannelDuration: 0,
    pollIntervalMs: 50,
    maxPendingTx: 4,
    metricsEnabled: false,
    logLevel: 'silent',
  })
  const service = await createBatcherService(config, { l2: source, rollup })
  await service.batcher.flush(120_000)
  await service.stop()
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'opl-derivation-da-'))
  da = await startDaServer({ config: DaServerConfig.parse({ dataDir, port: 0, logLevel: 'silent' }) })
  const l1 = await startL1Rollup({
    genesis: {
      altDa: {
        commitmentType: 'GenericCommitment',
        challengeContractAddress: zeroAddress,
        challengeWindow: 1000n,
        resolveWindow: 1000n,
      },
    },
  })
  ;({ anvil, devnet, rollup } = l1)

  // A real deposit in an L1 block after the rollup's L1 genesis.
  const wallet = createWalletClient({ account: user, chain: { ...anvilChain, id: 900 }, transport: http(anvil.rpc) })
  await l1Client().waitForTransactionReceipt({
    hash: await wallet.writeContract({
      address: l1.deployment.contracts.OptimismPortal,
      abi: portalDepositAbi,
      functionName: 'depositTransaction',
      args: [RECIPIENT, parseEther('0.5'), 100_000n, false, '0x'],
      value: parseEther('1'),
    }),
  })

  const engine = await engineFor(devnet)
  const { pool, sequencer } = chainSequencer({ rollup, engine, l1: new ViemL1Source(l1Client()) })
  const key = accounts.users[1]!.privateKey
  for (let i = 0; i < L2_BLOCKS; i++) {
    pool.txs = [0, 1].map((j) =>
      eip1559Tx(engine.common, key, {
        to: RECIPIENT,
        value: BigInt(i * 2 + j + 1),
        gasLimit: 21_000n,
        nonce: BigInt(i * 2 + j),
        maxFeePerGas: 10n ** 10n,
        maxPriorityFeePerGas: 1n,
      }),
    )
    sequenced.push(await sequencer.buildNext())
  }
}, 240_000)

afterAll(async () => {
  await da?.close()
  await anvil?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('verifier from L1 + EigenDA', () => {
  test('a fresh engine derives the sequencer chain (DA commitments, then calldata): same hashes, safe and finalized heads', async () => {
    const genesisBlock: BatcherBlock = {
      number: 0n,
      hash: rollup.genesis.l2.hash,
      parentHash: `0x${'00'.repeat(32)}`,
      timestamp: rollup.genesis.l2Time,
      l1Origin: rollup.genesis.l1,
      sequenceNumber: 0n,
      transactions: [],
    }
    const source = new MemoryL2Source(genesisBlock)
    const half = L2_BLOCKS / 2
    for (const block of sequenced.slice(0, half)) source.addBlock(batcherBlock(block))
    await runBatcher(source, da.url)
    source.setSafeHead(BigInt(half))
    for (const block of sequenced.slice(half)) source.addBlock(batcherBlock(block))
    await runBatcher(source, '')
    expect(sequenced.some((b) => b.userDeposits > 0)).toBe(true)

    const engine = await engineFor(devnet)
    const chain = new EngineChain(rollup, engine)
    const derivation = new Derivation({
      rollup,
      l1: new ViemL1Source(l1Client()),
      l1Transactions: new ViemL1TransactionSource(l1Client()),
      da: new HttpDaSource({ url: da.url }),
      chain,
      common: engine.common,
      blobBaseFeeUpdateFraction: blobBaseFeeUpdateFraction({ l1BlobSchedule: 'prague' }),
    })
    const kinds: string[] = []
    derivation.events.derived = (d) => kinds.push(d.kind)
    expect(await derivation.syncUntilIdle()).toBe('idle')
    expect(derivation.safeHead.number).toBe(BigInt(L2_BLOCKS))
    const derived: Hex[] = []
    for (let n = 1n; n <= BigInt(L2_BLOCKS); n++)
      derived.push(bytesToHex((await chain.blockByNumber(n))!.header.hash()))
    expect(derived).toEqual(sequenced.map((b) => bytesToHex(b.block.hash)))
    expect(kinds.every((k) => k === 'built')).toBe(true)

    // L1 finality: anvil reports `finalized` some blocks behind its head; bury the batches and check L2 follows.
    await l1Client().request({ method: 'anvil_mine' as never, params: ['0x80'] as never })
    await derivation.syncUntilIdle()
    expect(derivation.finalizedL1).toBeDefined()
    expect(derivation.finalizedHead.number).toBe(BigInt(L2_BLOCKS))
    expect(chain.finalized?.hash).toBe(derivation.safeHead.hash)
  }, 240_000)
})
