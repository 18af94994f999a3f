import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPublicClient, http, type PublicClient } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  BatcherConfig,
  type BatcherConfigInput,
  type BatcherService,
  createBatcherService,
  EigenDaProxyClient,
  type L2Block,
  MemoryL2Source,
} from '../packages/batcher/src/index.js'
import { readBatchesFromL1 } from '../packages/batcher/src/testing/l1-readback.js'
import { genesisBlock, makeBlocks, testRollupConfig } from '../packages/batcher/src/testing/l2-chain.js'
import { type DaServer, DaServerConfig, startDaServer } from '../packages/da-server/src/index.js'
import { type Anvil, startAnvil } from '../packages/devnet/src/anvil.js'
import { freePort } from '../packages/devnet/src/ports.js'

/** anvil's account #0: the batcher key. */
const BATCHER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'
const BATCHER = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
const rollup = testRollupConfig()

let anvil: Anvil
let da: DaServer
let dataDir: string
let l1: PublicClient

beforeAll(async () => {
  anvil = await startAnvil({ port: await freePort(), chainId: 31337 })
  l1 = createPublicClient({ transport: http(anvil.rpc) })
  dataDir = await mkdtemp(join(tmpdir(), 'opl-batcher-da-'))
  da = await startDaServer({ config: DaServerConfig.parse({ dataDir, port: 0, logLevel: 'silent' }) })
})

afterAll(async () => {
  await da?.close()
  await anvil?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

async function batcher(
  source: MemoryL2Source,
  overrides: BatcherConfigInput | Record<string, unknown> = {},
): Promise<BatcherService> {
  const config = BatcherConfig.parse({
    l1Rpc: anvil.rpc,
    l2Rpc: 'http://127.0.0.1:1',
    rollupRpc: 'http://127.0.0.1:1',
    privateKey: BATCHER_KEY,
    daServer: da.url,
    // Small frames so channels span several frames and txs.
    maxL1TxSizeBytes: 3000,
    targetNumFrames: 4,
    maxChannelDuration: 0,
    pollIntervalMs: 50,
    maxPendingTx: 4,
    metricsEnabled: false,
    logLevel: process.env.OPL_TEST_LOG ?? 'silent',
    ...overrides,
  })
  return createBatcherService(config, { l2: source, rollup })
}

const daClient = () => new EigenDaProxyClient({ url: da.url, putTimeoutMs: 10_000, getTimeoutMs: 10_000 })

async function readBack(from: bigint) {
  return readBatchesFromL1({
    l1,
    da: daClient(),
    inbox: rollup.batchInboxAddress,
    batcher: BATCHER,
    rollup,
    from,
    to: await l1.getBlockNumber({ cacheTime: 0 }),
  })
}

/** Each input block as derivation must see it. */
const expected = (blocks: L2Block[]) =>
  blocks.map((b) => ({ timestamp: b.timestamp, epochNumber: b.l1Origin.number, transactions: b.transactions }))

async function setMemstore(patch: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${da.url}/memstore/config`, { method: 'PATCH', body: JSON.stringify(patch) })
  expect(res.status).toBe(200)
}

describe('batcher → anvil + da-server', () => {
  test('round trip: commitments on L1 + payloads on DA decode into exactly the input blocks (span + brotli)', async () => {
    const source = new MemoryL2Source(genesisBlock())
    const blocks = await makeBlocks(genesisBlock(), { count: 40, txsPerBlock: (i) => (i % 4) * 3 })
    for (const b of blocks) source.addBlock(b)
    const from = (await l1.getBlockNumber({ cacheTime: 0 })) + 1n
    const service = await batcher(source)
    await service.batcher.flush(60_000)
    await service.stop()

    const back = await readBack(from)
    expect(back.calldataTxs).toBe(0)
    expect(back.commitmentTxs).toBe(service.batcher.stats.submissions.da)
    expect(back.commitmentTxs).toBeGreaterThan(1)
    for (const payload of back.daPayloads) expect(payload[0]).toBe(0x00)
    expect(back.channels.length).toBeGreaterThan(1)
    for (const channel of back.channels) {
      expect(channel.batches.every((b) => b.type === 'span')).toBe(true)
    }
    expect(back.channels.flatMap((c) => c.blocks)).toEqual(expected(blocks))
    // span batch checks bind the chain: parent of the first block, L1 origin of the last
    const first = back.channels[0]!.batches[0]!
    if (first.type !== 'span') throw new Error('expected a span batch')
    expect(first.batch.parentCheck).toBe(blocks[0]!.parentHash.slice(0, 42))
  })

  test('round trip without DA: singular batches + zlib as calldata frames (0x00 || frame, ≤ max tx size)', async () => {
    const source = new MemoryL2Source(genesisBlock())
    const blocks = await makeBlocks(genesisBlock(), { count: 12, txsPerBlock: () => 4 })
    for (const b of blocks) source.addBlock(b)
    const from = (await l1.getBlockNumber({ cacheTime: 0 })) + 1n
    const service = await batcher(source, { daServer: '', batchType: 'singular', compressionAlgo: 'zlib' })
    await service.batcher.flush(60_000)
    await service.stop()

    const back = await readBack(from)
    expect(back.commitmentTxs).toBe(0)
    expect(back.calldataTxs).toBe(service.batcher.stats.submissions.calldata)
    expect(back.l1Bytes).toBeLessThanOrEqual(back.calldataTxs * 3000)
    expect(back.channels.flatMap((c) => c.batches.map((b) => b.type))).toEqual(blocks.map(() => 'singular'))
    expect(back.channels.flatMap((c) => c.blocks)).toEqual(expected(blocks))
  })

  test('failover: with the DA server answering 503 frames land as calldata, one per failed put; recovery returns to commitments', async () => {
    const source = new MemoryL2Source(genesisBlock())
    const blocks = await makeBlocks(genesisBlock(), { count: 40, txsPerBlock: (i) => 2 + (i % 3) })
    for (const b of blocks.slice(0, 20)) source.addBlock(b)
    const from = (await l1.getBlockNumber({ cacheTime: 0 })) + 1n
    const failoverPutsBefore = da.service.stats.failoverPuts
    const service = await batcher(source)

    await setMemstore({ PutReturnsFailoverError: true })
    await service.batcher.flush(60_000)
    const failedPuts = da.service.stats.failoverPuts - failoverPutsBefore
    expect(failedPuts).toBeGreaterThan(1)
    expect(service.batcher.stats.failedPuts).toBe(failedPuts)
    expect(service.batcher.stats.submissions.failover).toBe(failedPuts)
    expect(service.batcher.stats.submissions.da).toBe(0)

    await setMemstore({ PutReturnsFailoverError: false })
    for (const b of blocks.slice(20)) source.addBlock(b)
    await service.batcher.flush(60_000)
    await service.stop()
    expect(service.batcher.stats.submissions.failover).toBe(failedPuts)
    expect(service.batcher.stats.submissions.da).toBeGreaterThan(0)

    const back = await readBack(from)
    expect(back.calldataTxs).toBe(failedPuts)
    expect(back.commitmentTxs).toBe(service.batcher.stats.submissions.da)
    // every calldata tx comes before the first commitment: once DA answered again, it was used
    const firstDa = back.kinds.indexOf('da')
    expect(back.kinds.slice(0, firstDa).every((k) => k === 'calldata')).toBe(true)
    expect(back.kinds.slice(firstDa).every((k) => k === 'da')).toBe(true)
    expect(back.channels.flatMap((c) => c.blocks)).toEqual(expected(blocks))
  })

  test('restart: a batcher killed mid-channel, restarted from the safe head, leaves no gap and posts nothing invalid', async () => {
    const source = new MemoryL2Source(genesisBlock())
    const blocks = await makeBlocks(genesisBlock(), { count: 36, txsPerBlock: (i) => 1 + (i % 5) })
    for (const b of blocks) source.addBlock(b)
    const from = (await l1.getBlockNumber({ cacheTime: 0 })) + 1n

    // First run: small channels, one frame in flight at a time; kill it once one channel is complete on L1 and the
    // next one is partly there.
    const first = await batcher(source, { maxPendingTx: 1, targetNumFrames: 1, approxComprRatio: 0.3 })
    const midChannel = () => {
      const channels = first.batcher.channels.activeChannels
      return (
        channels.some((c) => c.isFullyConfirmed) && channels.some((c) => c.confirmedFrames > 0 && !c.isFullyConfirmed)
      )
    }
    for (let i = 0; i < 400 && !midChannel(); i++) {
      await first.batcher.step(true)
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(midChannel()).toBe(true)
    first.batcher.kill()
    await first.stop().catch(() => undefined)
    const partial = await readBack(from)
    const posted = partial.channels.flatMap((c) => c.blocks)
    // Frames already broadcast when the batcher died may still land and complete the last channel (a crash does not
    // recall sent txs): then the second run has nothing left to post, which must hold too.
    expect(posted.length).toBeLessThanOrEqual(blocks.length)

    // The node derives what is complete on L1: the safe head moves to the last block of the complete channels.
    expect(posted).toEqual(expected(blocks.slice(0, posted.length)))
    source.setSafeHead(BigInt(posted.length))

    const second = await batcher(source)
    await second.batcher.flush(60_000)
    await second.stop()
    const back = await readBack(from)
    // The second run starts right after the safe head.
    const secondRun = back.channels.slice(partial.channels.length)
    if (posted.length < blocks.length) expect(secondRun[0]!.blocks[0]!.timestamp).toBe(blocks[posted.length]!.timestamp)
    else expect(secondRun).toEqual([])
    // Complete channels, in order, cover every block exactly once and each equals its input block.
    expect(back.channels.flatMap((c) => c.blocks)).toEqual(expected(blocks))
  })
  test('/readyz is 200 while L1, the rollup node and the DA server answer, 503 naming the DA server when it is gone; /metrics has the op-batcher names', async () => {
    const source = new MemoryL2Source(genesisBlock())
    for (const b of await makeBlocks(genesisBlock(), { count: 6, txsPerBlock: () => 2 })) source.addBlock(b)
    const up = await batcher(source, { metricsEnabled: true, metricsPort: 0 })
    const down = await batcher(source, {
      metricsEnabled: true,
      metricsPort: 0,
      daServer: `http://127.0.0.1:${await freePort()}`,
    })
    try {
      const ready = await fetch(`${up.ops!.url}/readyz`)
      expect(ready.status).toBe(200)
      expect(await ready.json()).toMatchObject({
        ok: true,
        dependencies: { l1: { ok: true }, rollup: { ok: true }, da: { ok: true } },
      })
      const notReady = await fetch(`${down.ops!.url}/readyz`)
      expect(notReady.status).toBe(503)
      expect(await notReady.json()).toMatchObject({
        ok: false,
        dependencies: { l1: { ok: true }, rollup: { ok: true }, da: { ok: false } },
      })

      await up.batcher.flush(60_000)
      const metrics = await (await fetch(`${up.ops!.url}/metrics`)).text()
      expect(metrics).toMatch(/^opl_batcher_batcher_tx_evt_total\{stage="success"\} [1-9]/m)
      expect(metrics).toMatch(/^opl_batcher_channel_input_bytes_total [1-9]/m)
      expect(metrics).toMatch(/^opl_batcher_channel_output_bytes_total [1-9]/m)
      expect(metrics).toMatch(/^opl_batcher_refs_number\{layer="l2",type="unsafe"\} 6$/m)
      expect(metrics).toMatch(/^opl_batcher_pending_blocks_count 0$/m)
      expect(metrics).toMatch(/^opl_batcher_txmgr_nonce_gap_fills 0$/m)
    } finally {
      await up.stop()
      await down.stop()
    }
  })
})
