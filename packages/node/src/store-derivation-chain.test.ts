/**
 * Derivation into the node's LevelDB store: a verifier builds every block (insertSafe), a node whose unsafe blocks
 * disagree with L1 has them replaced (rewind + insert), and a rewind is one atomic batch that survives a reopen.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Address } from '@ethereumjs/util'
import { bytesToHex, hexToBytes } from 'viem'
import { afterEach, describe, expect, test } from 'vitest'
import type { SafeBlockDecision } from './derivation/engine-queue.js'
import { channelFrames, createScenario, hashes, type Scenario, transfers, txData } from './derivation/test-support.js'
import { LevelNodeBackend } from './engine/db/level-backend.js'
import { Engine } from './engine/engine.js'
import { edrPredeploys } from './engine/testing/edr-reference.js'
import { TEST_ADDRESSES, TEST_KEYS } from './engine/testing/fixtures.js'
import {
  edrAlloc,
  fundedAccounts,
  TEST_CHAIN_ID,
  TEST_GAS_LIMIT,
  TEST_GENESIS_TIME,
} from './engine/testing/test-engine.js'
import { L1Tracker } from './l1/l1-tracker.js'
import { type SequencedBlock, Sequencer } from './sequencer/sequencer.js'
import { ArrayTxSource } from './sequencer/test-support.js'
import type { StoredBlock } from './store/chain-store.js'
import { ChainStore } from './store/chain-store.js'
import { StoreDerivationChain } from './store-derivation-chain.js'

const dirs: string[] = []
const open: LevelNodeBackend[] = []
afterEach(async () => {
  for (const backend of open.splice(0)) await backend.close().catch(() => {})
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

/** A store on LevelDB at `dir` over an engine with the scenario's genesis (createTestEngine's alloc). */
async function openStore(dir: string): Promise<{ store: ChainStore; backend: LevelNodeBackend }> {
  const backend = await LevelNodeBackend.open(dir)
  open.push(backend)
  const engine = await Engine.create({
    config: { chainId: TEST_CHAIN_ID },
    genesis: {
      alloc: edrAlloc([...edrPredeploys('granite'), ...fundedAccounts()]),
      timestamp: TEST_GENESIS_TIME,
      gasLimit: TEST_GAS_LIMIT,
    },
    backend,
  })
  return { store: await ChainStore.open(engine, backend, { sync: false }), backend }
}

/** Sequences `count` blocks on the store's own engine (trie nodes land in its LevelDB), `txs` transfers each. */
async function sequenceInto(s: Scenario, store: ChainStore, count: number, txs: number, sender = 1) {
  const pool = new ArrayTxSource()
  const sequencer = new Sequencer({
    rollup: s.rollup,
    engine: store.engine,
    l1: s.l1,
    l1Tracker: new L1Tracker(s.l1, { intervalMs: 1_000 }),
    txSource: pool,
    blockSink: store,
    readHead: async () => (await store.block(store.headNumber))!,
    config: { l1ConfDepth: 0n },
  })
  const account = await store.engine.stateManager.getAccount(new Address(hexToBytes(TEST_ADDRESSES[sender]!)))
  const out: SequencedBlock[] = []
  for (let i = 0; i < count; i++) {
    pool.txs = transfers(store.engine, TEST_KEYS[sender]!, (account?.nonce ?? 0n) + BigInt(i * txs), txs)
    out.push(await sequencer.buildNext())
  }
  return out
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'opl-store-rewind-'))
  dirs.push(dir)
  return dir
}

/** A verifier Derivation over a store, started from the store's persisted labels (what the node does). */
async function storeVerifier(s: Scenario, store: ChainStore) {
  const chain = new StoreDerivationChain(s.rollup, store)
  const safe = store.label('safe')
  const { derivation } = await s.verifier({
    chain,
    common: store.engine.common,
    safe: safe > 0n ? await chain.refOf(safe) : undefined,
  })
  const decisions: SafeBlockDecision[] = []
  derivation.events.derived = (d) => decisions.push(d)
  return { chain, derivation, decisions }
}

/** 10 sequenced blocks: 1..5 batched in L1 block 6, 6..10 in L1 block 8. */
async function batchedScenario() {
  const s = await createScenario()
  const blocks = await s.sequence(12, 2)
  s.post((await s.l1.blockByNumber(6n))!, [txData(...channelFrames(s.rollup, blocks.slice(0, 5)))])
  s.post((await s.l1.blockByNumber(8n))!, [txData(...channelFrames(s.rollup, blocks.slice(5, 10)))])
  return { s, blocks, expected: blocks.slice(0, 10).map((b) => bytesToHex(b.block.hash)) }
}

async function storedHashes(store: ChainStore, to: bigint) {
  const out: StoredBlock[] = []
  for (let n = 1n; n <= to; n++) out.push((await store.block(n))!)
  return hashes(out)
}

describe('StoreDerivationChain (verifier on the LevelDB store)', () => {
  test('builds every block from L1, persists safe + safe origin; a reopened store resumes at the record', async () => {
    const { s, blocks, expected } = await batchedScenario()
    const dir = await tempDir()
    const first = await openStore(dir)
    const v = await storeVerifier(s, first.store)
    expect(await v.derivation.syncUntilIdle()).toBe('idle')
    expect(v.decisions.map((d) => d.kind)).toEqual(Array(10).fill('built'))
    expect(await storedHashes(first.store, 10n)).toEqual(expected)
    expect(first.store.label('safe')).toBe(10n)
    const record = await v.chain.loadSafeOrigin()
    expect(record?.safe.hash).toBe(expected[9])
    expect(record?.derivedFrom.hash).toBe((await s.l1.blockByNumber(8n))!.hash)
    // a tx of a derived block is found through the tx index
    const tx = blocks[3]!.block.transactions[1]!
    expect(await first.store.txLocation(bytesToHex(tx.hash))).toEqual({ blockNumber: 4n, index: 1 })
    await first.backend.close()

    const second = await openStore(dir)
    expect(second.store.headNumber).toBe(10n)
    expect(second.store.label('safe')).toBe(10n)
    const resumed = await storeVerifier(s, second.store)
    const resets: bigint[] = []
    resumed.derivation.events.reset = (r) => resets.push(r.safe.number)
    s.post(s.l1.add({ timestamp: s.l1.head.timestamp + 12n }), [txData(...channelFrames(s.rollup, blocks.slice(10)))])
    expect(await resumed.derivation.syncUntilIdle()).toBe('idle')
    // reset from the persisted record (safe 10), not a walk back to genesis; only the new blocks are built
    expect(resets).toEqual([10n])
    expect(resumed.decisions.map((d) => d.kind)).toEqual(['built', 'built'])
    expect(await storedHashes(second.store, 12n)).toEqual(blocks.map((b) => bytesToHex(b.block.hash)))
  })

  test('unsafe blocks that disagree with L1 are replaced: rewind, derived blocks built, dropped txs no longer found', async () => {
    const { s, expected } = await batchedScenario()
    const { store } = await openStore(await tempDir())
    // the node's own unsafe chain: 4 blocks with other txs than the ones batched on L1
    const wrong = await sequenceInto(s, store, 4, 1)
    const droppedTx = bytesToHex(wrong[2]!.block.transactions.at(-1)!.hash)
    expect(await store.txLocation(droppedTx)).toBeDefined()
    const rewinds: bigint[] = []
    store.onRewind((head, dropped) => rewinds.push(head.header.number, BigInt(dropped.length)))

    const v = await storeVerifier(s, store)
    expect(await v.derivation.syncUntilIdle()).toBe('idle')
    expect(v.decisions[0]).toMatchObject({ kind: 'reorged', dropped: 4n })
    expect(v.decisions.slice(1).map((d) => d.kind)).toEqual(Array(9).fill('built'))
    expect(rewinds).toEqual([0n, 4n])
    expect(await storedHashes(store, 10n)).toEqual(expected)
    expect(await store.txLocation(droppedTx)).toBeUndefined()
    expect(await store.numberOf(bytesToHex(wrong[1]!.block.hash))).toBeUndefined()
    expect(bytesToHex(store.engine.head.hash())).toBe(expected[9])
  })
})

describe('ChainStore.rewind', () => {
  async function storeWithBlocks(dir: string, count: number) {
    const s = await createScenario()
    const opened = await openStore(dir)
    return { ...opened, blocks: await sequenceInto(s, opened.store, count, 2) }
  }

  test('drops blocks above N in one batch: head, labels, indexes, receipts, engine head + BLOCKHASH; survives reopen', async () => {
    const dir = await tempDir()
    const { store, backend, blocks } = await storeWithBlocks(dir, 8)
    await store.setLabel('safe', 6n)
    await store.setLabel('finalized', 3n)
    const kept = bytesToHex(blocks[2]!.block.transactions[1]!.hash)
    const dropped = bytesToHex(blocks[5]!.block.transactions[1]!.hash)
    expect(await store.receipts(6n)).toHaveLength(3)
    const heard: { head: bigint; dropped: [bigint, number][] }[] = []
    store.onRewind((head, dropped) =>
      heard.push({ head: head.header.number, dropped: dropped.map((b) => [b.header.number, b.receipts.length]) }),
    )

    await store.rewind(4n)
    // listeners get the dropped blocks with their receipts (removed logs), oldest first
    expect(heard).toEqual([
      {
        head: 4n,
        dropped: [
          [5n, 3],
          [6n, 3],
          [7n, 3],
          [8n, 3],
        ],
      },
    ])
    expect(store.headNumber).toBe(4n)
    expect(store.label('safe')).toBe(4n)
    expect(store.label('finalized')).toBe(3n)
    expect(await store.block(5n)).toBeUndefined()
    expect(await store.receipts(6n)).toBeUndefined()
    expect(await store.txLocation(dropped)).toBeUndefined()
    expect(await store.txLocation(kept)).toEqual({ blockNumber: 3n, index: 1 })
    expect(await store.numberOf(bytesToHex(blocks[6]!.block.hash))).toBeUndefined()
    expect(bytesToHex(store.engine.head.hash())).toBe(bytesToHex(blocks[3]!.block.hash))
    expect(bytesToHex((await store.engine.blockHashes.getBlock(2)).hash())).toBe(bytesToHex(blocks[1]!.block.hash))
    await expect(store.rewind(7n)).rejects.toThrow('not a canonical block')

    // the dropped blocks can be committed again on the new head (the engine state is block 4's)
    await store.commitBlock(blocks[4]!.block)
    expect(store.headNumber).toBe(5n)
    await backend.close()

    const reopened = await openStore(dir)
    expect(reopened.store.headNumber).toBe(5n)
    expect(reopened.store.label('safe')).toBe(4n)
    expect(await reopened.store.txLocation(dropped)).toBeUndefined()
    expect(bytesToHex(reopened.store.engine.head.hash())).toBe(bytesToHex(blocks[4]!.block.hash))
  })

  test('a crash before the batch is written leaves the old head (the rewind is one LevelDB batch)', async () => {
    const dir = await tempDir()
    const { store, backend, blocks } = await storeWithBlocks(dir, 5)
    const batch = backend.db.batch.bind(backend.db)
    let calls = 0
    backend.db.batch = (() => {
      calls++
      return Promise.reject(new Error('killed'))
    }) as unknown as typeof backend.db.batch
    await expect(store.rewind(2n)).rejects.toThrow('killed')
    expect(calls).toBe(1)
    backend.db.batch = batch
    await backend.close()
    const reopened = await openStore(dir)
    expect(reopened.store.headNumber).toBe(5n)
    expect(await storedHashes(reopened.store, 5n)).toEqual(blocks.map((b) => bytesToHex(b.block.hash)))
  })

  test('receipts are decoded once per cached block: repeated lookups return the same objects', async () => {
    const dir = await tempDir()
    const { backend } = await storeWithBlocks(dir, 3)
    await backend.close()
    const { store } = await openStore(dir)
    await store.block(2n)
    const first = await store.receipts(2n)
    expect(await store.receipts(2n)).toBe(first)
    expect(first?.[1]?.status).toBe(1)
  })
})
