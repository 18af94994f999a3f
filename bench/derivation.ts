/**
 * Derivation throughput of a verifier, side by side with the sequencer's build rate of the same blocks, in one run.
 *
 *   pnpm exec tsx bench/derivation.ts [--blocks 30] [--workloads eth,erc20,eth:2] [--channel 10]
 *
 * Per workload (bench/lib/workload.ts: 1,000 senders, 500 pre-signed txs per block, ETH or ERC-20 transfers;
 * `eth:2` keeps the first 2 txs of each block — a devnet-like load):
 * - sequencer: `Sequencer.buildNext` on an engine over LevelDB, each block committed by a `ChainStore` (fsync per
 *   block, as `opl-node` does by default), the txs handed over by an array pool; timed per block;
 * - recording: the blocks, `--channel` at a time, as span batches (brotli) in frames of ≤ 120 kB, each frame PUT to
 *   the dev DA server (in this process, over HTTP, files on disk) and its commitment (`0x01 ‖ cert commitment`)
 *   posted to the batch inbox of an in-memory L1 (1 s blocks, as the devnet) in the block after the channel's last
 *   L1 origin;
 * - verifier: what `opl-node --mode verifier` runs — `Derivation` with `StoreDerivationChain` over a fresh LevelDB
 *   store (fsync per block), the DA read through `HttpDaSource` — from genesis until idle at the L1 head; timed as a
 *   whole (L1 reads, DA GETs, decompression, batch checks, block building, commits). Every derived block hash is
 *   checked against the sequencer's.
 * The rollup block time is 1 s (devnet), so "× real time" = verifier blocks/s × 1 s.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { bytesToHex, concat, hexToBytes, keccak256, toHex, zeroAddress } from 'viem'
import { EigenDaProxyClient } from '../packages/batcher/src/index.js'
import { DaServerConfig, startDaServer } from '../packages/da-server/src/index.js'
import { HttpDaSource } from '../packages/node/src/derivation/da-source.js'
import { Derivation } from '../packages/node/src/derivation/derivation.js'
import { type L1Transaction, MemoryL1TransactionSource } from '../packages/node/src/derivation/l1-transactions.js'
import { singularBatchOf } from '../packages/node/src/derivation/test-support.js'
import { LevelNodeBackend } from '../packages/node/src/engine/db/level-backend.js'
import { Engine } from '../packages/node/src/engine/engine.js'
import { decodeTransaction } from '../packages/node/src/engine/transactions.js'
import { L1Tracker } from '../packages/node/src/l1/l1-tracker.js'
import { MemoryL1Source } from '../packages/node/src/l1/memory-l1-source.js'
import { blobBaseFeeUpdateFraction } from '../packages/node/src/sequencer/config.js'
import { type SequencedBlock, Sequencer } from '../packages/node/src/sequencer/sequencer.js'
import { ArrayTxSource, BATCHER, testRollupConfig } from '../packages/node/src/sequencer/test-support.js'
import { ChainStore } from '../packages/node/src/store/chain-store.js'
import { StoreDerivationChain } from '../packages/node/src/store-derivation-chain.js'
import {
  buildChannel,
  encodeBatcherTxData,
  type RollupConfig,
  singularBatchesToSpanBatch,
} from '../packages/protocol/src/index.js'
import {
  BASE_FEE,
  CHAIN_ID,
  EIP1559,
  edrAlloc,
  fmt,
  GAS_LIMIT,
  GENESIS_TIME,
  genesisAccounts,
  load,
  makeSenders,
  signBlocks,
  tokenRuntime,
  type Workload,
} from './lib/workload.js'

const { values } = parseArgs({
  options: {
    blocks: { type: 'string', default: '30' },
    workloads: { type: 'string', default: 'eth,erc20,eth:2' },
    channel: { type: 'string', default: '10' },
  },
})
const BLOCKS = Number(values.blocks)
/** `eth` / `erc20`, optionally `:<txs per block>` (the first txs of each 500-tx block: nonces stay consecutive) */
const WORKLOADS = values.workloads.split(',').map((spec) => {
  const [workload, txs] = spec.split(':')
  return { workload: workload as Workload, txs: Number(txs ?? 500), name: spec }
})
const CHANNEL_BLOCKS = Number(values.channel)
const MAX_FRAME = 120_000

const senders = makeSenders()
const accounts = genesisAccounts(senders, tokenRuntime(), true)

type Rate = { seconds: number; blocks: number; txs: number; gas: bigint }
const rate = (r: Rate) => ({
  blocksPerS: r.blocks / r.seconds,
  txsPerS: r.txs / r.seconds,
  mgasPerS: Number(r.gas) / 1e6 / r.seconds,
})

async function storeAt(dir: string): Promise<{ store: ChainStore; backend: LevelNodeBackend }> {
  const backend = await LevelNodeBackend.open(dir)
  const engine = await Engine.create({
    config: { chainId: CHAIN_ID, eip1559: EIP1559 },
    genesis: { alloc: edrAlloc(accounts), timestamp: GENESIS_TIME, gasLimit: GAS_LIMIT, baseFeePerGas: BASE_FEE },
    backend,
  })
  return { store: await ChainStore.open(engine, backend), backend }
}

async function run({ workload, txs: txsPerBlock, name }: (typeof WORKLOADS)[number], tmp: string, daUrl: string) {
  const sequencerSide = await storeAt(join(tmp, `${name}-sequencer`))
  const l1 = new MemoryL1Source({ timestamp: GENESIS_TIME })
  const l1Genesis = l1.head
  l1.addMany(BLOCKS + 8, 1n)
  const rollup: RollupConfig = {
    ...testRollupConfig({
      l1Genesis: { hash: l1Genesis.hash, number: 0n },
      l2Genesis: { hash: bytesToHex(sequencerSide.store.engine.genesis.hash()), timestamp: GENESIS_TIME },
      gasLimit: GAS_LIMIT,
    }),
    blockTime: 1n,
    altDa: {
      commitmentType: 'GenericCommitment',
      challengeContractAddress: zeroAddress,
      challengeWindow: 1000n,
      resolveWindow: 1000n,
    },
  }

  // 1. the sequencer builds the blocks
  const pool = new ArrayTxSource()
  const sequencer = new Sequencer({
    rollup,
    engine: sequencerSide.store.engine,
    l1,
    l1Tracker: new L1Tracker(l1, { intervalMs: 1_000 }),
    txSource: pool,
    blockSink: sequencerSide.store,
    config: { l1ConfDepth: 0n, maxBuildMs: 600_000 },
  })
  const raws = signBlocks(workload, senders, BLOCKS, []).map((block) => block.slice(0, txsPerBlock))
  const built: SequencedBlock[] = []
  const sequenced: Rate = { seconds: 0, blocks: 0, txs: 0, gas: 0n }
  for (const block of raws) {
    pool.txs = block.map((raw) => decodeTransaction(hexToBytes(raw), sequencerSide.store.engine.common))
    const started = performance.now()
    const result = await sequencer.buildNext()
    sequenced.seconds += (performance.now() - started) / 1000
    built.push(result)
    sequenced.blocks++
    sequenced.txs += result.block.transactions.length
    sequenced.gas += result.block.header.gasUsed
    if (result.poolTxs !== block.length) throw new Error(`block ${result.ref.number}: ${result.poolTxs} pool txs`)
  }
  await sequencerSide.backend.close()

  // 2. the batcher's output, recorded: span-batch channels, frames on the DA server, commitments on L1
  const da = new EigenDaProxyClient({ url: daUrl, putTimeoutMs: 60_000, getTimeoutMs: 60_000 })
  const l1Txs = new MemoryL1TransactionSource()
  let channels = 0
  let daBytes = 0
  for (let i = 0; i < built.length; i += CHANNEL_BLOCKS) {
    const group = built.slice(i, i + CHANNEL_BLOCKS)
    const span = singularBatchesToSpanBatch(
      group.map((b) => singularBatchOf(rollup, b)),
      {
        genesisTime: rollup.genesis.l2Time,
        blockTime: rollup.blockTime,
        chainId: BigInt(rollup.l2ChainId),
        firstBlockStartsEpoch: group[0]!.ref.sequenceNumber === 0n,
      },
    )
    const { frames } = buildChannel([{ type: 'span', batch: span }], {
      channelId: toHex(++channels, { size: 16 }),
      compression: 'brotli',
      maxFrameSize: MAX_FRAME,
      fjord: true,
    })
    const inbox = (await l1.blockByNumber(group.at(-1)!.ref.l1Origin.number + 1n))!
    const txs: L1Transaction[] = []
    for (const frame of frames) {
      const data = encodeBatcherTxData([frame])
      daBytes += data.length
      const commitment = await da.put(data)
      txs.push({
        hash: keccak256(toHex(`${name}:${channels}:${txs.length}`)),
        from: BATCHER,
        to: rollup.batchInboxAddress,
        input: concat(['0x01', bytesToHex(commitment)]),
        typeHex: '0x2',
      })
    }
    l1Txs.set(inbox, [...(await l1Txs.transactions(inbox)), ...txs])
  }

  // 3. a verifier derives them from L1 + DA into its own store
  const verifierSide = await storeAt(join(tmp, `${name}-verifier`))
  const derivation = new Derivation({
    rollup,
    l1,
    l1Transactions: l1Txs,
    da: new HttpDaSource({ url: daUrl }),
    chain: new StoreDerivationChain(rollup, verifierSide.store),
    common: verifierSide.store.engine.common,
    blobBaseFeeUpdateFraction: blobBaseFeeUpdateFraction({ l1BlobSchedule: 'prague' }),
  })
  const started = performance.now()
  const result = await derivation.syncUntilIdle()
  const seconds = (performance.now() - started) / 1000
  if (result !== 'idle') throw new Error(`derivation ended ${result}`)
  for (const block of built) {
    const derived = await verifierSide.store.block(block.ref.number)
    if (derived?.hash !== block.ref.hash) throw new Error(`block ${block.ref.number}: derived hash differs`)
  }
  await verifierSide.backend.close()
  const verified: Rate = { seconds, blocks: sequenced.blocks, txs: sequenced.txs, gas: sequenced.gas }
  return { sequenced, verified, channels, daBytes, l1Blocks: Number(l1.head.number) }
}

const tmp = await mkdtemp(join(tmpdir(), 'opl-bench-derivation-'))
const daServer = await startDaServer({
  config: DaServerConfig.parse({ dataDir: join(tmp, 'da'), port: 0, logLevel: 'silent' }),
})
try {
  console.log(`# derivation: verifier vs sequencer, ${BLOCKS} blocks per workload, load ${load()}`)
  console.log('| workload | side | blocks/s | tx/s | Mgas/s | s | × real time (1 s blocks) |')
  console.log('|---|---|---|---|---|---|---|')
  for (const spec of WORKLOADS) {
    const workload = spec.name
    const r = await run(spec, tmp, daServer.url)
    const seq = rate(r.sequenced)
    const ver = rate(r.verified)
    const row = (side: string, x: ReturnType<typeof rate>, raw: Rate) =>
      `| ${workload} | ${side} | ${fmt(x.blocksPerS, 2)} | ${fmt(x.txsPerS)} | ${fmt(x.mgasPerS, 1)} | ${fmt(raw.seconds, 1)} | ${fmt(x.blocksPerS, 2)}× |`
    console.log(row('sequencer (build + commit)', seq, r.sequenced))
    console.log(row('verifier (derive from L1 + DA)', ver, r.verified))
    console.log(
      `| ${workload} | verifier / sequencer | ${fmt(ver.blocksPerS / seq.blocksPerS, 2)} | | | | ` +
        `${r.channels} channels, ${r.daBytes} B on DA, ${r.l1Blocks} L1 blocks; hashes equal |`,
    )
  }
  console.log(`load after: ${load()}`)
} finally {
  await daServer.close()
  await rm(tmp, { recursive: true, force: true })
}
