/**
 * L1 reorgs and forced inclusion against a real L1: anvil with bedrock deployed, a sequencer building L2 blocks with
 * transfers on our engine, the real batcher posting calldata frames, and a verifier (`Derivation` over a fresh engine
 * from the same genesis) running in the background while anvil reorgs (`anvil_reorg`) under it.
 *
 * After every reorg the verifier is settled deterministically (stopped, then stepped until idle) and compared with
 * the sequencer: same block hashes, safe head values, and L2 balances that show each deposit minted exactly once.
 */
import {
  bytesToHex,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  keccak256,
  parseEther,
  toHex,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { anvil as anvilChain } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  type L2Block as BatcherBlock,
  BatcherConfig,
  createBatcherService,
  MemoryL2Source,
} from '../packages/batcher/src/index.js'
import { devAccounts } from '../packages/devnet/src/accounts.js'
import type { Anvil } from '../packages/devnet/src/anvil.js'
import type { L1Deployment } from '../packages/devnet/src/deploy/deploy.js'
import type { DevnetGenesis } from '../packages/devnet/src/l2-genesis.js'
import { portalDepositAbi, startL1Rollup } from '../packages/devnet/src/testing.js'
import { Derivation } from '../packages/node/src/derivation/derivation.js'
import { EngineChain } from '../packages/node/src/derivation/engine-chain.js'
import type { SafeBlockDecision } from '../packages/node/src/derivation/engine-queue.js'
import { ViemL1TransactionSource } from '../packages/node/src/derivation/l1-transactions.js'
import {
  accountAt,
  batcherViewOf,
  chainSequencer,
  engineAtGenesis,
} from '../packages/node/src/derivation/test-support.js'
import type { Engine } from '../packages/node/src/engine/engine.js'
import { eip1559Tx } from '../packages/node/src/engine/testing/fixtures.js'
import { ViemL1Source } from '../packages/node/src/l1/viem-l1-source.js'
import { blobBaseFeeUpdateFraction } from '../packages/node/src/sequencer/config.js'
import { type L2Block, l2BlockRefOf } from '../packages/node/src/sequencer/l2-block-ref.js'
import type { Sequencer } from '../packages/node/src/sequencer/sequencer.js'
import type { ArrayTxSource } from '../packages/node/src/sequencer/test-support.js'
import { DEPOSIT_TX_TYPE, type RollupConfig } from '../packages/protocol/src/index.js'

const accounts = devAccounts()
const depositor = privateKeyToAccount(accounts.users[0]!.privateKey)
const TRANSFER_KEY = accounts.users[1]!.privateKey
const RECIPIENT = '0x000000000000000000000000000000000000d3a1' as const
/** Small enough that forced inclusion needs few L1 blocks, large enough for batches posted after 16 empty blocks. */
const SEQ_WINDOW = 40
/**
 * Seconds between L1 blocks: two L2 blocks per L1 block, so the sequencer's origin (which advances at most one L1 block
 * per L2 block) keeps pace with L1 instead of falling out of the sequencing window.
 */
const L1_BLOCK_TIME = 4
/** Bound on L2 blocks built per catch-up with L1 time. */
const MAX_BLOCKS_PER_CATCH_UP = 400

let anvil: Anvil
let deployment: L1Deployment
let devnet: DevnetGenesis
let rollup: RollupConfig

/** The sequencer side: engine, chain, and the pool it reads one transfer per block from. */
let seq: { engine: Engine; chain: EngineChain; sequencer: Sequencer; pool: ArrayTxSource; nonce: bigint }
/** The verifier side: a fresh engine from the same genesis, derivation running in the background. */
let ver: { engine: Engine; chain: EngineChain; derivation: Derivation; decisions: SafeBlockDecision[]; resets: number }

const engineFor = (genesis: DevnetGenesis): Promise<Engine> => engineAtGenesis(genesis.rollup, genesis.genesis)

const l1Client = () => createPublicClient({ transport: http(anvil.rpc, { retryCount: 0 }) })
const rpc = (method: string, params: unknown[]) =>
  l1Client().request({ method: method as never, params: params as never })
const mine = (blocks: number) => rpc('anvil_mine', [toHex(blocks), toHex(L1_BLOCK_TIME)])
const l1Head = () => l1Client().getBlock({ blockTag: 'latest' })

function newDerivation(chain: EngineChain, engine: Engine): Derivation {
  return new Derivation({
    rollup,
    l1: new ViemL1Source(l1Client()),
    l1Transactions: new ViemL1TransactionSource(l1Client()),
    chain,
    common: engine.common,
    blobBaseFeeUpdateFraction: blobBaseFeeUpdateFraction({ l1BlobSchedule: 'prague' }),
    idleDelayMs: 20,
    retryDelayMs: 50,
  })
}

/** Builds L2 blocks (one transfer each, at least `min`) until the sequencer's L2 time reaches the L1 head's time. */
async function sequenceToL1Head(min = 4): Promise<void> {
  const target = (await l1Head()).timestamp
  for (let i = 0; i < MAX_BLOCKS_PER_CATCH_UP; i++) {
    const head = await seq.chain.head()
    if (i >= min && head.timestamp >= target) return
    seq.pool.txs = [
      eip1559Tx(seq.engine.common, TRANSFER_KEY, {
        to: RECIPIENT,
        value: 1n,
        gasLimit: 21_000n,
        nonce: seq.nonce++,
        maxFeePerGas: 10n ** 10n,
        maxPriorityFeePerGas: 1n,
      }),
    ]
    const built = await seq.sequencer.buildNext()
    // a transfer the engine refused would leave a nonce gap: every block carries ours
    expect(built.block.transactions.at(-1)!.raw[0]).not.toBe(DEPOSIT_TX_TYPE)
  }
  throw new Error(`sequencer did not reach L1 time ${target} in ${MAX_BLOCKS_PER_CATCH_UP} blocks`)
}

/** The node's job after an L1 reorg: drop unsafe blocks whose L1 origin is no longer canonical. */
async function rewindSequencerToCanonicalOrigin(): Promise<bigint> {
  const client = l1Client()
  let head = await seq.chain.head()
  for (let guard = 0; guard < 10_000 && head.number > 0n; guard++) {
    const origin = await client.getBlock({ blockNumber: head.l1Origin.number })
    if (origin.hash === head.l1Origin.hash) break
    head = l2BlockRefOf(rollup, (await seq.chain.blockByNumber(head.number - 1n))!)
  }
  await seq.chain.rewind(head.number)
  seq.nonce = (await accountAt(seq.engine, privateKeyToAccount(TRANSFER_KEY).address)).nonce
  return head.number
}

/** The real batcher posts every sequencer block above `safe` (calldata frames), then stops. */
async function runBatcher(safe: bigint): Promise<void> {
  const toBatcher = (block: L2Block | undefined): BatcherBlock => batcherViewOf(rollup, block!)
  const genesis = await seq.chain.blockByNumber(0n)
  const source = new MemoryL2Source({ ...toBatcher(genesis), parentHash: `0x${'00'.repeat(32)}`, transactions: [] })
  const head = await seq.chain.head()
  for (let n = 1n; n <= head.number; n++) source.addBlock(toBatcher(await seq.chain.blockByNumber(n)))
  source.setSafeHead(safe)
  const config = BatcherConfig.parse({
    l1Rpc: anvil.rpc,
    l2Rpc: 'http://127.0.0.1:1',
    rollupRpc: 'http://127.0.0.1:1',
    privateKey: accounts.batcher.privateKey,
    daServer: '',
    maxL1TxSizeBytes: 20_000,
    maxChannelDuration: 0,
    pollIntervalMs: 50,
    metricsEnabled: false,
    logLevel: 'silent',
  })
  const service = await createBatcherService(config, { l2: source, rollup })
  await service.batcher.flush(120_000)
  await service.stop()
}

/** Stops the background loop and steps until idle at the L1 head (bounded), then restarts the loop. */
async function settleVerifier(): Promise<void> {
  await ver.derivation.stop()
  for (let i = 0; i < 50; i++) {
    const result = await ver.derivation.syncUntilIdle(100_000)
    if (result === 'idle') {
      ver.derivation.start()
      return
    }
  }
  throw new Error('verifier did not become idle')
}

async function hashesUpTo(chain: EngineChain, head: bigint): Promise<Hex[]> {
  const out: Hex[] = []
  for (let n = 0n; n <= head; n++) out.push(bytesToHex((await chain.blockByNumber(n))!.header.hash()))
  return out
}

/** Verifier and sequencer agree: safe head at the sequencer head, identical hashes from genesis. */
async function expectAgreement(): Promise<void> {
  const head = await seq.chain.head()
  expect(ver.derivation.safeHead.hash).toBe(head.hash)
  expect((await ver.chain.head()).hash).toBe(head.hash)
  expect(await hashesUpTo(ver.chain, head.number)).toEqual(await hashesUpTo(seq.chain, head.number))
}

async function l2Balance(engine: Engine, address: Hex): Promise<bigint> {
  return (await accountAt(engine, address)).balance
}

/** A signed portal deposit (kept raw so a test can put the same tx back on L1 after a reorg dropped it). */
async function signedDeposit(to: Hex, value: bigint): Promise<Hex> {
  const wallet = createWalletClient({
    account: depositor,
    chain: { ...anvilChain, id: 900 },
    transport: http(anvil.rpc),
  })
  const request = await wallet.prepareTransactionRequest({
    to: deployment.contracts.OptimismPortal,
    data: encodeFunctionData({
      abi: portalDepositAbi,
      functionName: 'depositTransaction',
      args: [to, value, 100_000n, false, '0x'],
    }),
    value,
  })
  return wallet.signTransaction(request)
}

async function sendRaw(raw: Hex): Promise<bigint> {
  const hash = (await rpc('eth_sendRawTransaction', [raw])) as Hex
  const receipt = await l1Client().waitForTransactionReceipt({ hash })
  expect(receipt.status).toBe('success')
  return receipt.blockNumber
}

beforeAll(async () => {
  ;({ anvil, deployment, devnet, rollup } = await startL1Rollup({ genesis: { seqWindowSize: SEQ_WINDOW } }))
  await rpc('anvil_setBlockTimestampInterval', [L1_BLOCK_TIME])
  expect(rollup.seqWindowSize).toBe(BigInt(SEQ_WINDOW))

  const engine = await engineFor(devnet)
  const { chain, pool, sequencer } = chainSequencer({
    rollup,
    engine,
    l1: new ViemL1Source(l1Client()),
    followRewinds: true,
  })
  seq = { engine, chain, sequencer, pool, nonce: 0n }

  const verifierEngine = await engineFor(devnet)
  const verifierChain = new EngineChain(rollup, verifierEngine)
  ver = {
    engine: verifierEngine,
    chain: verifierChain,
    derivation: newDerivation(verifierChain, verifierEngine),
    decisions: [],
    resets: 0,
  }
  ver.derivation.events.derived = (d) => ver.decisions.push(d)
  ver.derivation.events.reset = () => ver.resets++
  ver.derivation.start()
}, 240_000)

afterAll(async () => {
  await ver?.derivation.stop()
  await anvil?.stop()
})

describe('derivation under anvil L1 reorgs', () => {
  test.each([1, 2, 5, 12])(
    'a depth-%i reorg drops the batch: the safe head falls back, the re-posted batch consolidates',
    async (depth) => {
      // L2 blocks up to L1 time, then bury their origins deeper than any reorg of the ladder; the batch goes on top.
      await sequenceToL1Head()
      await mine(16)
      const before = ver.derivation.safeHead
      const head = await seq.chain.head()
      await runBatcher(before.number)
      const batchL1 = (await l1Head()).number
      await settleVerifier()
      await expectAgreement()
      expect(ver.derivation.safeHead.number).toBeGreaterThan(before.number)

      // replace the last `depth` L1 blocks (the batcher txs among them) with empty ones, then L1 moves on
      const resets = ver.resets
      await rpc('anvil_reorg', [depth, []])
      expect((await l1Head()).number).toBe(batchL1)
      await mine(1)
      await settleVerifier()
      expect(ver.resets).toBeGreaterThan(resets)
      // every block of this round lost its safety; nothing older did; the unsafe blocks stay
      expect(ver.derivation.safeHead.hash).toBe(before.hash)
      expect((await ver.chain.head()).hash).toBe(head.hash)

      // the batcher posts again from the verifier's safe head: the same blocks become safe without re-execution
      ver.decisions.length = 0
      await runBatcher(ver.derivation.safeHead.number)
      await settleVerifier()
      await expectAgreement()
      expect(ver.decisions.length).toBe(Number(head.number - before.number))
      expect(ver.decisions.every((d) => d.kind === 'consolidated')).toBe(true)
    },
  )

  test('a reorg drops the L1 block holding a deposit: L2 is rebuilt without it, and the re-included deposit is minted once', async () => {
    const to = '0x00000000000000000000000000000000dead0001' as const
    const value = parseEther('0.25')
    await sequenceToL1Head()
    await mine(16)
    await runBatcher(ver.derivation.safeHead.number)
    await settleVerifier()
    await expectAgreement()
    const before = ver.derivation.safeHead

    const raw = await signedDeposit(to, value)
    const depositL1 = await sendRaw(raw)
    await mine(2)
    await sequenceToL1Head()
    expect((await seq.chain.head()).l1Origin.number).toBeGreaterThan(depositL1)
    await runBatcher(before.number)
    await settleVerifier()
    await expectAgreement()
    expect(await l2Balance(seq.engine, to)).toBe(value)
    expect(await l2Balance(ver.engine, to)).toBe(value)
    const withDeposit = await seq.chain.head()

    // reorg from the deposit's L1 block up: the deposit, its epoch and the batches are gone
    const depth = Number((await l1Head()).number - depositL1 + 1n)
    await rpc('anvil_reorg', [depth, []])
    await mine(1)
    await expect(l1Client().getTransactionReceipt({ hash: keccak256(raw) })).rejects.toThrow()
    const rewoundTo = await rewindSequencerToCanonicalOrigin()
    expect(rewoundTo).toBeLessThan(withDeposit.number)
    expect(rewoundTo).toBeGreaterThanOrEqual(before.number)
    await sequenceToL1Head()
    expect(await l2Balance(seq.engine, to)).toBe(0n)

    await settleVerifier()
    expect(ver.derivation.safeHead.number).toBeLessThanOrEqual(rewoundTo)
    ver.decisions.length = 0
    await runBatcher(ver.derivation.safeHead.number)
    await settleVerifier()
    await expectAgreement()
    // the verifier's blocks carrying the orphaned deposit were replaced by the rebuilt chain
    expect(ver.decisions.some((d) => d.kind === 'reorged')).toBe(true)
    expect(await l2Balance(ver.engine, to)).toBe(0n)

    // the same signed deposit goes back on L1 in a new block: minted exactly once, on both sides
    const reincluded = await sendRaw(raw)
    expect(reincluded).toBeGreaterThanOrEqual(depositL1)
    await mine(2)
    await sequenceToL1Head()
    await runBatcher(ver.derivation.safeHead.number)
    await settleVerifier()
    await expectAgreement()
    expect(await l2Balance(seq.engine, to)).toBe(value)
    expect(await l2Balance(ver.engine, to)).toBe(value)
    expect(await countDepositsTo(ver.chain, to)).toBe(1)
  })

  test('forced inclusion: a deposit made while the batcher is down is derived once the sequencing window passes', async () => {
    const to = '0x00000000000000000000000000000000dead0002' as const
    const value = parseEther('0.125')
    await sequenceToL1Head()
    await runBatcher(ver.derivation.safeHead.number)
    await settleVerifier()
    await expectAgreement()
    const lastBatched = ver.derivation.safeHead

    // the batcher is down from here on: the deposit reaches L2 only through derivation's deposit-only blocks
    const depositL1 = await sendRaw(await signedDeposit(to, value))
    await mine(SEQ_WINDOW - 1)
    await settleVerifier()
    // epoch E is forced once L1 block E + SEQ_WINDOW has been read: not yet for the deposit's epoch
    expect(ver.derivation.safeHead.l1Origin.number).toBeLessThan(depositL1)
    expect(await l2Balance(ver.engine, to)).toBe(0n)

    await mine(2)
    await settleVerifier()
    const safe = ver.derivation.safeHead
    expect(safe.l1Origin.number).toBeGreaterThanOrEqual(depositL1)
    expect(await l2Balance(ver.engine, to)).toBe(value)
    expect(await countDepositsTo(ver.chain, to)).toBe(1)
    // every block after the last batched one carries deposits only, one per block time
    for (let n = lastBatched.number + 1n; n <= safe.number; n++) {
      const block = (await ver.chain.blockByNumber(n))!
      expect(block.transactions.every((tx) => tx.raw[0] === DEPOSIT_TX_TYPE)).toBe(true)
      expect(block.header.timestamp).toBe(lastBatched.timestamp + rollup.blockTime * (n - lastBatched.number))
    }
  })
})

/** User deposits (0x7E, not the L1-info tx) in the verifier's chain whose RLP carries `to`. */
async function countDepositsTo(chain: EngineChain, to: Hex): Promise<number> {
  const head = await chain.head()
  const needle = to.slice(2).toLowerCase()
  let count = 0
  for (let n = 1n; n <= head.number; n++) {
    for (const tx of (await chain.blockByNumber(n))!.transactions) {
      if (tx.raw[0] === DEPOSIT_TX_TYPE && bytesToHex(tx.raw).includes(needle)) count++
    }
  }
  return count
}
