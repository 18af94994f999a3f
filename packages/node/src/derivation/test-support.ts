import { Address as EthAddress } from '@ethereumjs/util'
import {
  type BatchData,
  buildChannel,
  DEPOSIT_TX_TYPE,
  encodeBatcherTxData,
  type Frame,
  type L2Genesis,
  type RollupConfig,
  type SingularBatch,
  singularBatchesToSpanBatch,
} from '@opl/protocol'
import { type Address, bytesToHex, type Hex, hexToBytes, keccak256, padHex, toHex } from 'viem'
import { Engine } from '../engine/engine.js'
import { eip1559Tx, TEST_KEYS } from '../engine/testing/fixtures.js'
import { createTestEngine, TEST_GAS_LIMIT, TEST_GENESIS_TIME } from '../engine/testing/test-engine.js'
import type { L1Source } from '../l1/l1-source.js'
import { L1Tracker } from '../l1/l1-tracker.js'
import { MemoryL1Source } from '../l1/memory-l1-source.js'
import type { L1BlockInfo } from '../l1/types.js'
import { blobBaseFeeUpdateFraction } from '../sequencer/config.js'
import { type L2Block, l2BlockRefOf } from '../sequencer/l2-block-ref.js'
import { type SequencedBlock, Sequencer } from '../sequencer/sequencer.js'
import { ArrayTxSource, BATCHER, testRollupConfig } from '../sequencer/test-support.js'
import type { DaSource } from './da-source.js'
import { Derivation, type DerivationParameters } from './derivation.js'
import { EngineChain } from './engine-chain.js'
import { type L1Transaction, MemoryL1TransactionSource } from './l1-transactions.js'

export const T = TEST_GENESIS_TIME
export { BATCHER }

const RECIPIENT: Address = '0x00000000000000000000000000000000000beef1'

/**
 * A sequencer on an in-memory L1 producing real blocks (the L2 chain derivation must reproduce), the batcher-tx
 * store it posts to, and a factory for fresh verifiers from the same genesis.
 */
export async function createScenario(options: { rollup?: Partial<RollupConfig>; l1Blocks?: number } = {}) {
  const engine = await createTestEngine()
  const l1 = new MemoryL1Source({ timestamp: T })
  const rollup: RollupConfig = {
    ...testRollupConfig({
      l1Genesis: { hash: l1.head.hash, number: 0n },
      l2Genesis: { hash: bytesToHex(engine.genesis.hash()), timestamp: T },
      gasLimit: TEST_GAS_LIMIT,
    }),
    ...options.rollup,
  }
  l1.addMany(options.l1Blocks ?? 10, 12n)
  const { pool, chain, sequencer } = chainSequencer({ rollup, engine, l1 })
  const txs = new MemoryL1TransactionSource()
  let nonce = 0n
  const scenario = {
    rollup,
    l1,
    txs,
    engine,
    chain,
    sequencer,
    /** Builds `count` blocks, `txsPerBlock` transfers each (from test key 0). */
    async sequence(count: number, txsPerBlock = 1): Promise<SequencedBlock[]> {
      const out: SequencedBlock[] = []
      for (let i = 0; i < count; i++) {
        pool.txs = transfers(engine, TEST_KEYS[0]!, nonce, txsPerBlock)
        nonce += BigInt(txsPerBlock)
        out.push(await sequencer.buildNext())
      }
      return out
    },
    /** Puts batcher txs (one per data item) into an L1 block, from `from` (the batcher by default). */
    post(block: L1BlockInfo, data: Uint8Array[], from: Address = BATCHER): void {
      const existing = txsOf.get(block.hash) ?? []
      const added = data.map((d, i) => batcherTx(rollup, d, from, `${block.hash}:${existing.length + i}`))
      txsOf.set(block.hash, [...existing, ...added])
      txs.set(block, txsOf.get(block.hash)!)
    },
    /** A fresh engine from the same genesis, and a derivation over it. */
    async verifier(overrides: Partial<DerivationParameters> & { da?: DaSource } = {}) {
      const verifierEngine = await createTestEngine()
      const verifierChain = new EngineChain(rollup, verifierEngine)
      const derivation = new Derivation({
        rollup,
        l1,
        l1Transactions: txs,
        chain: verifierChain,
        common: verifierEngine.common,
        blobBaseFeeUpdateFraction: blobBaseFeeUpdateFraction({ l1BlobSchedule: 'prague' }),
        ...overrides,
      })
      return { derivation, chain: verifierChain, engine: verifierEngine }
    },
  }
  const txsOf = new Map<Hex, L1Transaction[]>()
  return scenario
}

export type Scenario = Awaited<ReturnType<typeof createScenario>>

/** `count` signed 21,000-gas transfers of 1 wei from `key`, nonces from `nonce` on. */
export function transfers(engine: Engine, key: Hex, nonce: bigint, count: number) {
  return Array.from({ length: count }, (_, i) =>
    eip1559Tx(engine.common, key, {
      to: RECIPIENT,
      value: 1n,
      gasLimit: 21_000n,
      nonce: nonce + BigInt(i),
      maxFeePerGas: 10n ** 10n,
      maxPriorityFeePerGas: 1n,
    }),
  )
}

function batcherTx(rollup: RollupConfig, data: Uint8Array, from: Address, salt: string): L1Transaction {
  return { hash: keccak256(toHex(salt)), from, to: rollup.batchInboxAddress, input: bytesToHex(data), typeHex: '0x2' }
}

/** The singular batch of a sequenced block: its non-deposit txs under its parent, epoch and timestamp. */
export function singularBatchOf(rollup: RollupConfig, block: SequencedBlock): SingularBatch {
  const ref = l2BlockRefOf(rollup, block.block)
  return {
    parentHash: ref.parentHash,
    epochNumber: ref.l1Origin.number,
    epochHash: ref.l1Origin.hash,
    timestamp: ref.timestamp,
    transactions: block.block.transactions
      .filter((tx) => tx.raw[0] !== DEPOSIT_TX_TYPE)
      .map((tx) => bytesToHex(tx.raw)),
  }
}

let channelCounter = 0

/** Frames of one channel carrying the blocks as singular batches (zlib) or one span batch (brotli). */
export function channelFrames(
  rollup: RollupConfig,
  blocks: SequencedBlock[],
  options: { span?: boolean; maxFrameSize?: number; batches?: BatchData[] } = {},
): Frame[] {
  const singular = blocks.map((b) => singularBatchOf(rollup, b))
  const batches: BatchData[] =
    options.batches ??
    (options.span
      ? [
          {
            type: 'span',
            batch: singularBatchesToSpanBatch(singular, {
              genesisTime: rollup.genesis.l2Time,
              blockTime: rollup.blockTime,
              chainId: BigInt(rollup.l2ChainId),
              firstBlockStartsEpoch: blocks[0]?.ref.sequenceNumber === 0n,
            }),
          },
        ]
      : singular.map((batch) => ({ type: 'singular', batch })))
  const channelId = toHex(++channelCounter, { size: 16 })
  return buildChannel(batches, {
    channelId,
    compression: options.span ? 'brotli' : 'zlib',
    maxFrameSize: options.maxFrameSize ?? 100_000,
    fjord: true,
  }).frames
}

/** One span batch over singular batches (which a test may have altered). */
export function spanOf(rollup: RollupConfig, batches: SingularBatch[], firstBlockStartsEpoch: boolean): BatchData {
  return {
    type: 'span',
    batch: singularBatchesToSpanBatch(batches, {
      genesisTime: rollup.genesis.l2Time,
      blockTime: rollup.blockTime,
      chainId: BigInt(rollup.l2ChainId),
      firstBlockStartsEpoch,
    }),
  }
}

/** Batcher-tx data with the given frames (version 0). */
export const txData = (...frames: Frame[]): Uint8Array => encodeBatcherTxData(frames)

export const hashes = (blocks: { header: { hash(): Uint8Array } }[]): Hex[] =>
  blocks.map((b) => bytesToHex(b.header.hash()))

/** An account's balance and nonce at the engine's head (zero for an account that does not exist). */
export async function accountAt(engine: Engine, address: Hex): Promise<{ balance: bigint; nonce: bigint }> {
  const account = await engine.stateManager.getAccount(new EthAddress(hexToBytes(address)))
  return { balance: account?.balance ?? 0n, nonce: account?.nonce ?? 0n }
}

/**
 * A sequencer (L1 confirmation depth 0) committing to an in-memory EngineChain over `engine`, reading its txs from an
 * ArrayTxSource the test fills before each block. With `followRewinds` it reads its head back from the chain after a
 * rewind, as the node does from its store after a restart.
 */
export function chainSequencer(options: {
  rollup: RollupConfig
  engine: Engine
  l1: L1Source
  followRewinds?: boolean
}): { chain: EngineChain; pool: ArrayTxSource; sequencer: Sequencer } {
  const { rollup, engine, l1 } = options
  const chain = new EngineChain(rollup, engine)
  const pool = new ArrayTxSource()
  const sequencer = new Sequencer({
    rollup,
    engine,
    l1,
    l1Tracker: new L1Tracker(l1, { intervalMs: 1_000 }),
    txSource: pool,
    blockSink: { commitBlock: (sealed) => chain.commitUnsafe(sealed) },
    readHead: options.followRewinds ? async () => (await chain.blockByNumber((await chain.head()).number))! : undefined,
    config: { l1ConfDepth: 0n },
  })
  return { chain, pool, sequencer }
}

/** An engine at an L2 genesis (as `buildDevnetGenesis` returns it): the sequencer's and every verifier's start. */
export function engineAtGenesis(rollup: Pick<RollupConfig, 'l2ChainId'>, genesis: L2Genesis): Promise<Engine> {
  const g = genesis.genesis
  return Engine.create({
    config: { chainId: BigInt(rollup.l2ChainId) },
    genesis: {
      alloc: g.alloc,
      timestamp: BigInt(g.timestamp),
      gasLimit: BigInt(g.gasLimit),
      baseFeePerGas: BigInt(g.baseFeePerGas),
      extraData: g.extraData,
      mixHash: g.mixHash,
      coinbase: g.coinbase,
      difficulty: BigInt(g.difficulty),
      // genesis.json spells the nonce as a quantity (0x0); the header field is 8 bytes
      nonce: padHex(g.nonce, { size: 8 }),
    },
  })
}

/** What the batcher reads from the node for an L2 block: its ref and its non-deposit txs. */
export function batcherViewOf(rollup: Pick<RollupConfig, 'genesis'>, block: L2Block) {
  const ref = l2BlockRefOf(rollup, block)
  return {
    number: ref.number,
    hash: ref.hash,
    parentHash: ref.parentHash,
    timestamp: ref.timestamp,
    l1Origin: ref.l1Origin,
    sequenceNumber: ref.sequenceNumber,
    transactions: block.transactions.filter((tx) => tx.raw[0] !== DEPOSIT_TX_TYPE).map((tx) => bytesToHex(tx.raw)),
  }
}
