import { decodeDepositTransaction, decodeL1InfoEcotone, userDepositSourceHash } from '@opl/protocol'
import { type Address, bytesToHex, getAddress, type Hex, keccak256, parseEther, zeroHash } from 'viem'
import { getSourceHash } from 'viem/op-stack'
import { describe, expect, test } from 'vitest'
import { SEQUENCER_FEE_VAULT } from '../engine/addresses.js'
import { TxRejectReason } from '../engine/errors.js'
import { eip1559Tx, TEST_ADDRESSES, TEST_KEYS } from '../engine/testing/fixtures.js'
import { createTestEngine, TEST_GAS_LIMIT, TEST_GENESIS_TIME } from '../engine/testing/test-engine.js'
import type { EngineTx } from '../engine/transactions.js'
import { CriticalError, L1ReorgError, L1UnavailableError, ResetError, TemporaryError } from '../l1/errors.js'
import { L1Tracker } from '../l1/l1-tracker.js'
import { MemoryL1Source } from '../l1/memory-l1-source.js'
import type { L1Receipt } from '../l1/types.js'
import { DepositDerivationError } from './attributes.js'
import { SequencerStateError } from './errors.js'
import { type SequencedBlock, Sequencer, type SequencerParameters } from './sequencer.js'
import {
  ArrayTxSource,
  BATCHER,
  depositReceipt,
  gasLimitUpdateReceipt,
  otherLogReceipt,
  RecordingBlockSink,
  SCALARS,
  testRollupConfig,
} from './test-support.js'

const T = TEST_GENESIS_TIME
const [user, recipient] = TEST_ADDRESSES as [Address, Address]
const NEW_RECIPIENT: Address = getAddress('0x00000000000000000000000000000000000beef1')

/** Engine at genesis time T, an L1 whose genesis is the rollup's L1 genesis, and a sequencer over both. */
async function setup(options: { l1GenesisTime?: bigint; sequencer?: Partial<SequencerParameters> } = {}) {
  const engine = await createTestEngine()
  const l1 = new MemoryL1Source({ timestamp: options.l1GenesisTime ?? T })
  const rollup = testRollupConfig({
    l1Genesis: { hash: l1.head.hash, number: 0n },
    l2Genesis: { hash: bytesToHex(engine.genesis.hash()), timestamp: T },
    gasLimit: TEST_GAS_LIMIT,
  })
  const pool = new ArrayTxSource()
  const sink = new RecordingBlockSink(engine)
  const tracker = new L1Tracker(l1, { intervalMs: 1_000 })
  /** A sequencer over this engine, L1, pool and sink (a second one plays a restarted node). */
  const newSequencer = (overrides: Partial<SequencerParameters> = {}) =>
    new Sequencer({
      rollup,
      engine,
      l1,
      l1Tracker: tracker,
      txSource: pool,
      blockSink: sink,
      config: { l1ConfDepth: 0n },
      ...options.sequencer,
      ...overrides,
    })
  const sequencer = newSequencer()
  return { engine, l1, pool, sink, sequencer, newSequencer }
}

async function buildMany(sequencer: Sequencer, count: number): Promise<SequencedBlock[]> {
  const blocks: SequencedBlock[] = []
  for (let i = 0; i < count; i++) blocks.push(await sequencer.buildNext())
  return blocks
}

const l1InfoOf = (built: SequencedBlock) =>
  decodeL1InfoEcotone(decodeDepositTransaction(built.block.transactions[0]!.raw).data)

const transfer = (engine: Awaited<ReturnType<typeof createTestEngine>>, key: number, nonce: bigint): EngineTx =>
  eip1559Tx(engine.common, TEST_KEYS[key]!, {
    to: NEW_RECIPIENT,
    value: 1000n,
    gasLimit: 21_000n,
    nonce,
    maxFeePerGas: 10n ** 10n,
    maxPriorityFeePerGas: 10n ** 9n,
  })

const depositA = { from: user, to: recipient, mint: parseEther('1'), value: parseEther('0.25'), gas: 100_000n }
const depositB = { from: user, to: NEW_RECIPIENT, mint: parseEther('2'), value: parseEther('2'), gas: 50_000n }

describe('epochs, L1-info tx and deposits', () => {
  test('the first block of an epoch carries the L1-info tx then its deposits with source hashes over the L1 block', async () => {
    const { engine, l1, sequencer } = await setup()
    const receipts: L1Receipt[] = [otherLogReceipt(), depositReceipt(depositA), depositReceipt(depositB)]
    const epoch1 = l1.add({ timestamp: T + 12n, receipts, excessBlobGas: 0n })

    const blocks = await buildMany(sequencer, 7)
    // Blocks 1..5 (T+2 .. T+10) stay on the genesis origin; block 6 at T+12 = origin+1's time moves to it.
    expect(blocks.map((b) => b.ref.l1Origin.number)).toEqual([0n, 0n, 0n, 0n, 0n, 1n, 1n])
    expect(blocks.map((b) => b.ref.sequenceNumber)).toEqual([1n, 2n, 3n, 4n, 5n, 0n, 1n])
    expect(blocks.map((b) => b.block.header.timestamp)).toEqual([2n, 4n, 6n, 8n, 10n, 12n, 14n].map((d) => T + d))
    expect(blocks.map((b) => b.block.transactions.length)).toEqual([1, 1, 1, 1, 1, 3, 1])

    const first = blocks[5]!
    const info = l1InfoOf(first)
    expect(info).toMatchObject({
      number: 1n,
      timestamp: epoch1.timestamp,
      blockHash: epoch1.hash,
      baseFee: epoch1.baseFeePerGas,
      blobBaseFee: 1n,
      sequenceNumber: 0n,
      batcherAddr: BATCHER,
      ...SCALARS,
    })
    // Log 0 is an unrelated log: the deposits are logs 1 and 2 of the L1 block.
    const deposits = first.block.transactions.slice(1).map((tx) => decodeDepositTransaction(tx.raw))
    expect(deposits.map((d) => d.sourceHash)).toEqual([
      userDepositSourceHash({ l1BlockHash: epoch1.hash, logIndex: 1 }),
      userDepositSourceHash({ l1BlockHash: epoch1.hash, logIndex: 2 }),
    ])
    expect(deposits[1]!.sourceHash).toBe(
      getSourceHash({ domain: 'userDeposit', l1BlockHash: epoch1.hash, l1LogIndex: 2 }),
    )
    expect(deposits.map((d) => [d.from, d.to, d.mint, d.value, d.gas])).toEqual([
      [user, recipient, depositA.mint, depositA.value, depositA.gas],
      [user, NEW_RECIPIENT, depositB.mint, depositB.value, depositB.gas],
    ])
    expect(first.block.receipts.map((r) => r.status)).toEqual([1, 1, 1])
    expect(first.userDeposits).toBe(2)

    // Header fields from the origin: prevRandao = mixHash, beacon root, fee recipient, gas limit.
    const header = first.block.header
    expect(bytesToHex(header.mixHash)).toBe(epoch1.mixHash)
    expect(bytesToHex(header.parentBeaconBlockRoot!)).toBe(epoch1.parentBeaconBlockRoot)
    expect(header.coinbase.toString()).toBe(SEQUENCER_FEE_VAULT.toLowerCase())
    expect(header.gasLimit).toBe(TEST_GAS_LIMIT)
    expect(l1InfoOf(blocks[4]!)).toMatchObject({
      number: 0n,
      blockHash: (await l1.blockByNumber(0n))!.hash,
      sequenceNumber: 5n,
    })

    // The deposits executed: the new account holds exactly mint B (all of it sent as value).
    const account = await engine.stateManager.getAccount(addr(NEW_RECIPIENT))
    expect(account?.balance).toBe(depositB.value)
  })

  test('pool txs follow the deposits; a rejected tx is reported and left out', async () => {
    const { engine, l1, pool, sequencer } = await setup()
    l1.add({ timestamp: T + 2n, receipts: [depositReceipt(depositA)] })
    const good = transfer(engine, 2, 0n) // not the depositor: the deposit bumped the depositor's nonce
    const gap = transfer(engine, 1, 5n) // nonce 5 on a fresh account
    pool.txs = [good, gap]

    const built = await sequencer.buildNext()
    expect(built.ref.l1Origin.number).toBe(1n) // T+2 reaches origin+1 at once
    expect(built.block.transactions.map((tx) => tx.kind)).toEqual(['deposit', 'deposit', 'signed'])
    expect(bytesToHex(built.block.transactions[2]!.hash)).toBe(bytesToHex(good.hash))
    expect(pool.rejected.map((r) => [bytesToHex(r.tx.hash), r.reason])).toEqual([
      [bytesToHex(gap.hash), TxRejectReason.nonceTooHigh],
    ])
    expect(pool.included).toEqual(built.block.transactions)
    expect(built.poolTxs).toBe(1)
    expect(built.rejectedTxs).toBe(1)
    expect(pool.limits[0]!.baseFee).toBe(built.block.header.baseFeePerGas)
  })
})

describe('SystemConfig', () => {
  test('a gas-limit update applies from the first block whose origin contains it, and survives a restart', async () => {
    const { l1, sink, sequencer, newSequencer } = await setup()
    l1.add({ timestamp: T + 12n })
    l1.add({ timestamp: T + 24n, receipts: [gasLimitUpdateReceipt(45_000_000n)] })

    const blocks = await buildMany(sequencer, 13)
    const limits = blocks.map((b) => [b.ref.l1Origin.number, b.block.header.gasLimit])
    expect(limits.filter(([origin]) => origin! < 2n).every(([, limit]) => limit === TEST_GAS_LIMIT)).toBe(true)
    expect(blocks[11]!.ref).toMatchObject({ l1Origin: { number: 2n }, sequenceNumber: 0n })
    expect(blocks[11]!.block.header.gasLimit).toBe(45_000_000n)
    expect(blocks[12]!.block.header.gasLimit).toBe(45_000_000n)

    // A new sequencer over the same engine reads the head's epoch and config back from the head block.
    const last = sink.blocks.at(-1)!
    const restarted = newSequencer({ readHead: async () => last })
    const next = await restarted.buildNext()
    expect(next.ref).toMatchObject({ number: 14n, sequenceNumber: 2n, l1Origin: { number: 2n } })
    expect(next.block.header.gasLimit).toBe(45_000_000n)
    expect(bytesToHex(next.block.header.parentHash)).toBe(bytesToHex(last.hash))
  })
})

describe('confirmation depth', () => {
  test('an origin is adopted only once it is l1ConfDepth blocks below the L1 head', async () => {
    const { l1, sequencer } = await setup({ sequencer: { config: { l1ConfDepth: 2n } } })
    l1.add({ timestamp: T + 2n }) // due for block 1, but the L1 head is this block itself
    const first = await sequencer.buildNext()
    expect(first.ref.l1Origin.number).toBe(0n)
    l1.addMany(2, 12n) // now 1 + 2 <= head 3
    const second = await sequencer.buildNext()
    expect(second.ref.l1Origin.number).toBe(1n)
  })
})

describe('sequencer drift', () => {
  test('past the drift and before origin+1: deposit-only blocks, pool txs wait; back to normal on origin+1', async () => {
    // The L2 genesis sits 1790 s after its L1 origin: block 6 (T+12) is 1802 s past it, over Fjord's 1800.
    const { engine, l1, pool, sequencer } = await setup({ l1GenesisTime: T - 1790n })
    const next = l1.add({ timestamp: T + 40n })
    pool.txs = [transfer(engine, 0, 0n)]
    const early = await sequencer.buildNext()
    expect(early.noTxPool).toBe(false)
    expect(early.block.transactions.length).toBe(2)
    await buildMany(sequencer, 4)

    pool.txs = [transfer(engine, 0, 1n)]
    const late = await buildMany(sequencer, 14) // T+12 .. T+38: on origin 0, past the drift
    expect(late.every((b) => b.noTxPool && b.ref.l1Origin.number === 0n)).toBe(true)
    expect(late.every((b) => b.block.transactions.length === 1)).toBe(true)
    expect(pool.txs.length).toBe(1) // neither included nor rejected

    const moved = await sequencer.buildNext() // T+40 = origin+1's time
    expect(moved.ref.l1Origin.hash).toBe(next.hash)
    expect(moved.noTxPool).toBe(false)
    expect(moved.block.transactions.map((tx) => tx.kind)).toEqual(['deposit', 'signed'])
  })
})

describe('errors', () => {
  test('L1 unreachable: nothing is committed, the retry builds the right block', async () => {
    const { engine, l1, sink, sequencer } = await setup()
    const epoch1 = l1.add({ timestamp: T + 12n, receipts: [depositReceipt(depositB)] })
    await buildMany(sequencer, 5)
    const head = bytesToHex(engine.head.hash())
    const root = bytesToHex(await engine.stateManager.getStateRoot())

    l1.failNext(2) // the receipts of the new origin cannot be fetched, twice
    let failures = 0
    let built: SequencedBlock | undefined
    for (let attempt = 0; attempt < 5 && !built; attempt++) {
      try {
        built = await sequencer.buildNext()
      } catch (error) {
        expect(error).toBeInstanceOf(L1UnavailableError)
        expect(error).toBeInstanceOf(TemporaryError)
        expect(bytesToHex(engine.head.hash())).toBe(head)
        expect(bytesToHex(await engine.stateManager.getStateRoot())).toBe(root)
        expect(sink.blocks.length).toBe(5)
        failures++
      }
    }
    expect(failures).toBe(2)
    expect(built!.ref).toMatchObject({ number: 6n, sequenceNumber: 0n, l1Origin: { hash: epoch1.hash } })
    expect(built!.userDeposits).toBe(1)
    expect((await engine.stateManager.getAccount(addr(NEW_RECIPIENT)))?.balance).toBe(depositB.value)
  })

  test('a failing block sink leaves the engine at the old head, and the next attempt succeeds', async () => {
    const { engine, sink, sequencer } = await setup()
    const genesisRoot = bytesToHex(engine.genesis.stateRoot)
    sink.failNext = 1
    await expect(sequencer.buildNext()).rejects.toBeInstanceOf(TemporaryError)
    expect(engine.head.number).toBe(0n)
    expect(bytesToHex(await engine.stateManager.getStateRoot())).toBe(genesisRoot)
    const built = await sequencer.buildNext()
    expect(built.ref.number).toBe(1n)
  })

  test('the L1 origin reorged out is a reset and no block is built on the stale origin', async () => {
    const { l1, sink, sequencer } = await setup()
    l1.add({ timestamp: T + 12n })
    await buildMany(sequencer, 6) // block 6 on origin 1
    l1.reorg(0n, [{ timestamp: T + 13n }, { timestamp: T + 25n }])
    const error = await sequencer.buildNext().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(L1ReorgError)
    expect(error).toBeInstanceOf(ResetError)
    expect(sink.blocks.length).toBe(6)
  })

  test('an undecodable deposit log is critical: no block, and the running sequencer stops', async () => {
    const bad: L1Receipt = {
      status: 'success',
      logs: [
        {
          ...depositReceipt(depositA).logs[0]!,
          topics: [...depositReceipt(depositA).logs[0]!.topics.slice(0, 3), keccak256('0x01')],
        },
      ],
    }
    let critical: (error: Error) => void = () => {}
    const stopped = new Promise<Error>((resolve) => {
      critical = resolve
    })
    const { l1, sink, sequencer } = await setup({ sequencer: { onCritical: (e) => critical(e) } })
    l1.add({ timestamp: T + 2n, receipts: [bad] })
    await expect(sequencer.buildNext()).rejects.toBeInstanceOf(DepositDerivationError)
    await sequencer.start()
    expect(await stopped).toBeInstanceOf(CriticalError)
    expect(sequencer.active()).toBe(false)
    expect(sink.blocks.length).toBe(0)
  })
})

describe('start / stop', () => {
  test('the loop builds the blocks that are due by the clock, then waits; stop returns the last hash', async () => {
    let due: (hash: Hex) => void = () => {}
    const third = new Promise<Hex>((resolve) => {
      due = resolve
    })
    const clock = { now: Number(T + 6n) * 1000 } // blocks at T+2, T+4, T+6 are due; T+8 is not
    const { engine, sink, sequencer } = await setup({ sequencer: { now: () => clock.now } })
    sink.onCommit = (block) => {
      if (block.header.number === 3n) due(bytesToHex(block.hash))
    }
    await expect(sequencer.start(zeroHash)).rejects.toThrow(SequencerStateError)
    expect(sequencer.active()).toBe(false)
    await sequencer.start(bytesToHex(engine.genesis.hash()))
    expect(sequencer.active()).toBe(true)
    await expect(sequencer.start()).rejects.toThrow('sequencer already running')
    const hash = await third
    expect(await sequencer.stop()).toBe(hash)
    expect(sequencer.active()).toBe(false)
    expect(sink.blocks.length).toBe(3)
    await expect(sequencer.stop()).rejects.toThrow('sequencer not running')
    expect(sequencer.l1Status().current).toMatchObject({ number: 0, timestamp: Number(T) })
  })
})

function addr(address: Address) {
  return { bytes: Buffer.from(address.slice(2), 'hex') } as unknown as Parameters<
    Awaited<ReturnType<typeof createTestEngine>>['stateManager']['getAccount']
  >[0]
}
