/**
 * The sequencer against a real L1: anvil with the bedrock contracts deployed unmodified, real OptimismPortal deposits
 * and a real SystemConfig gas-limit change, read through the viem L1 source, built on the engine from the devnet's
 * real L2 genesis.
 */
import {
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  parseAbi,
  parseEther,
  type TransactionReceipt,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { anvil as anvilChain } from 'viem/chains'
import { extractTransactionDepositedLogs, getL2TransactionHash } from 'viem/op-stack'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { devAccounts } from '../packages/devnet/src/accounts.js'
import type { Anvil } from '../packages/devnet/src/anvil.js'
import type { L1Deployment } from '../packages/devnet/src/deploy/deploy.js'
import { freePort } from '../packages/devnet/src/ports.js'
import { portalDepositAbi, startL1Rollup } from '../packages/devnet/src/testing.js'
import { engineAtGenesis } from '../packages/node/src/derivation/test-support.js'
import type { SealedBlock } from '../packages/node/src/engine/block-builder.js'
import type { Engine } from '../packages/node/src/engine/engine.js'
import { L1UnavailableError, TemporaryError } from '../packages/node/src/l1/errors.js'
import { L1Tracker } from '../packages/node/src/l1/l1-tracker.js'
import { ViemL1Source } from '../packages/node/src/l1/viem-l1-source.js'
import { type SequencedBlock, Sequencer } from '../packages/node/src/sequencer/sequencer.js'
import { ArrayTxSource, RecordingBlockSink } from '../packages/node/src/sequencer/test-support.js'
import type { RollupConfig } from '../packages/protocol/src/index.js'

const accounts = devAccounts()
const user = privateKeyToAccount(accounts.users[0]!.privateKey)
const owner = privateKeyToAccount(accounts.deployer.privateKey)
const RECIPIENT = '0x000000000000000000000000000000000000D3a0' as const
const NEW_GAS_LIMIT = 40_000_000n
const systemConfigAbi = parseAbi(['function setGasLimit(uint64 _gasLimit)'])

let anvil: Anvil
let deployment: L1Deployment
let rollup: RollupConfig
let engine: Engine
let sink: RecordingBlockSink
const blocks: SequencedBlock[] = []
let depositReceipt: TransactionReceipt
let receiveReceipt: TransactionReceipt
let gasLimitReceipt: TransactionReceipt

beforeAll(async () => {
  const l1Rollup = await startL1Rollup()
  ;({ anvil, deployment, rollup } = l1Rollup)
  engine = await engineAtGenesis(rollup, l1Rollup.devnet.genesis)

  // Real L1 activity after the rollup's L1 genesis: a portal deposit, a plain ETH send to the portal (its receive()
  // deposits to the sender), and a SystemConfig gas-limit change by the owner.
  const l1 = createPublicClient({ transport: http(anvil.rpc) })
  const wallet = (account: typeof user) =>
    createWalletClient({ account, chain: { ...anvilChain, id: 900 }, transport: http(anvil.rpc) })
  const mined = async (hash: Hex) => l1.waitForTransactionReceipt({ hash })
  depositReceipt = await mined(
    await wallet(user).writeContract({
      address: deployment.contracts.OptimismPortal,
      abi: portalDepositAbi,
      functionName: 'depositTransaction',
      args: [RECIPIENT, parseEther('0.4'), 100_000n, false, '0x'],
      value: parseEther('1'),
    }),
  )
  receiveReceipt = await mined(
    await wallet(user).sendTransaction({ to: deployment.contracts.OptimismPortal, value: parseEther('3') }),
  )
  gasLimitReceipt = await mined(
    await wallet(owner).writeContract({
      address: deployment.contracts.SystemConfig,
      abi: systemConfigAbi,
      functionName: 'setGasLimit',
      args: [NEW_GAS_LIMIT],
    }),
  )

  sink = new RecordingBlockSink(engine)
  const sequencer = sequencerOver(anvil.rpc)
  // Until the L2 chain has taken the gas-limit block as its origin (bounded: L1 has a few dozen blocks).
  for (let i = 0; i < 2_000; i++) {
    const built = await sequencer.buildNext()
    blocks.push(built)
    if (built.ref.l1Origin.number === gasLimitReceipt.blockNumber) break
  }
}, 180_000)

afterAll(() => anvil?.stop())

describe('sequencer on a real L1', () => {
  test('the engine genesis is the rollup genesis', () => {
    expect(blocks.length).toBeGreaterThan(0)
    expect(blocks[0]!.ref.parentHash).toBe(rollup.genesis.l2.hash)
  })

  test('the origin advances one L1 block at a time, sequence numbers restart at each epoch', () => {
    let previous = { origin: rollup.genesis.l1.number, seq: 0n, time: rollup.genesis.l2Time }
    for (const { ref, origin } of blocks) {
      const advanced = ref.l1Origin.number !== previous.origin
      expect(ref.l1Origin.number - previous.origin).toBe(advanced ? 1n : 0n)
      expect(ref.sequenceNumber).toBe(advanced ? 0n : previous.seq + 1n)
      expect(ref.timestamp).toBe(previous.time + rollup.blockTime)
      expect(ref.timestamp >= origin.timestamp).toBe(true)
      previous = { origin: ref.l1Origin.number, seq: ref.sequenceNumber, time: ref.timestamp }
    }
    expect(blocks.at(-1)!.ref.l1Origin.number).toBe(gasLimitReceipt.blockNumber)
  })

  test('portal deposits land in the first block of their epoch with the L2 hashes viem computes', async () => {
    const all = blocks.flatMap((b) => b.block.transactions.slice(1).map((tx) => ({ b, tx })))
    expect(all.length).toBe(2) // exactly the two deposits, each once
    for (const receipt of [depositReceipt, receiveReceipt]) {
      const [log] = extractTransactionDepositedLogs({ logs: receipt.logs })
      const epochFirst = blocks.find((b) => b.ref.l1Origin.hash === receipt.blockHash)!
      expect(epochFirst.ref.sequenceNumber).toBe(0n)
      expect(epochFirst.block.transactions.length).toBe(2)
      expect(bytesHex(epochFirst.block.transactions[1]!.hash)).toBe(getL2TransactionHash({ log: log! }))
      expect(epochFirst.block.receipts[1]!.status).toBe(1)
    }
    const recipient = await engine.stateManager.getAccount(address(RECIPIENT))
    expect(recipient?.balance).toBe(parseEther('0.4'))
  })

  test('the SystemConfig gas limit applies from the first block whose origin holds the update', () => {
    const first = blocks.findIndex((b) => b.ref.l1Origin.number === gasLimitReceipt.blockNumber)
    expect(blocks[first]!.ref.sequenceNumber).toBe(0n)
    expect(blocks[first]!.block.header.gasLimit).toBe(NEW_GAS_LIMIT)
    expect(blocks.slice(0, first).every((b) => b.block.header.gasLimit === deployment.systemConfig.gasLimit)).toBe(true)
  })

  test('L1 down: a restarted sequencer reports a temporary error and builds nothing', async () => {
    const last = sink.blocks.at(-1)!
    const restarted = sequencerOver(`http://127.0.0.1:${await freePort()}`, async () => last)
    const error = await restarted.buildNext().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(L1UnavailableError)
    expect(error).toBeInstanceOf(TemporaryError)
    expect(sink.blocks.at(-1)).toBe(last)
    expect(bytesHex(engine.head.hash())).toBe(bytesHex(last.hash))
  })
})

/** A sequencer over the engine and sink, reading L1 at `rpc`; `readHead` plays a restart. */
function sequencerOver(rpc: string, readHead?: () => Promise<SealedBlock>): Sequencer {
  const source = new ViemL1Source(createPublicClient({ transport: http(rpc, { retryCount: 0 }) }))
  return new Sequencer({
    rollup,
    engine,
    l1: source,
    l1Tracker: new L1Tracker(source, { intervalMs: 1_000 }),
    txSource: new ArrayTxSource(),
    blockSink: sink,
    config: { l1ConfDepth: 0n },
    readHead,
  })
}

const bytesHex = (bytes: Uint8Array): Hex => `0x${Buffer.from(bytes).toString('hex')}`

function address(hex: Hex) {
  return { bytes: Buffer.from(hex.slice(2), 'hex') } as unknown as Parameters<Engine['stateManager']['getAccount']>[0]
}
