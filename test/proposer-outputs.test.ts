/**
 * The proposer against the unmodified L2OutputOracle on anvil, with real L2 state (anvil from our L2 genesis):
 * every output the oracle accepts equals outputRootV0 recomputed from the L2 header and eth_getProof; a lying
 * rollup node gets nothing posted; a restarted proposer resumes at nextBlockNumber() without a duplicate.
 */

import { type Hex, parseAbiItem } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  createProposerService,
  l2OutputOracleAbi,
  OutputMismatchError,
  ProposerConfig,
  type ProposerConfigInput,
  type ProposerService,
  type ProposerStep,
} from '../packages/proposer/src/index.js'
import { startElRollupNode } from '../packages/proposer/src/testing/el-rollup-node.js'
import {
  mineL2,
  startWithdrawalDevnet,
  type WithdrawalDevnet,
} from '../packages/proposer/src/testing/withdrawal-devnet.js'
import { L2_TO_L1_MESSAGE_PASSER, outputRootV0 } from '../packages/protocol/src/index.js'

const INTERVAL = 4n
let net: WithdrawalDevnet
const services: ProposerService[] = []

beforeAll(async () => {
  net = await startWithdrawalDevnet({ submissionInterval: Number(INTERVAL) })
}, 120_000)
afterAll(async () => {
  for (const s of services) await s.stop()
  await net?.stop()
})

async function proposer(
  rollupRpc = net.rollupNode.url,
  extra: Partial<ProposerConfigInput> = {},
): Promise<ProposerService> {
  const service = await createProposerService(
    ProposerConfig.parse({
      ...extra,
      l1Rpc: net.l1Anvil.rpc,
      l2Rpc: net.l2Anvil.rpc,
      rollupRpc,
      l2OutputOracle: net.deployment.contracts.L2OutputOracle,
      privateKey: net.accounts.proposer.privateKey,
      allowNonFinalized: true,
      pollIntervalMs: 100,
      metricsPort: 0,
      logLevel: 'silent',
    }),
  )
  services.push(service)
  return service
}

const oracle = () => net.deployment.contracts.L2OutputOracle
const read = <F extends 'nextBlockNumber' | 'latestOutputIndex'>(functionName: F) =>
  net.l1.readContract({ address: oracle(), abi: l2OutputOracleAbi, functionName })

/** Steps until one output is proposed; bounded by L1 blocks (1 s each) for the oracle's timestamp rule. */
async function proposeOne(service: ProposerService): Promise<Extract<ProposerStep, { kind: 'proposed' }>> {
  for (let i = 0; i < 200; i++) {
    const step = await service.proposer.step()
    if (step.kind === 'proposed') return step
    expect(step.reason).toBe('l1-time')
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error('no output proposed in 200 steps')
}

async function expectedRoot(blockNumber: bigint): Promise<Hex> {
  const block = await net.l2.getBlock({ blockNumber })
  const proof = await net.l2.getProof({ address: L2_TO_L1_MESSAGE_PASSER, storageKeys: [], blockNumber })
  return outputRootV0({
    stateRoot: block.stateRoot,
    messagePasserStorageRoot: proof.storageHash,
    blockHash: block.hash,
  })
}

describe('proposer → L2OutputOracle', () => {
  test('waits while the safe L2 head is below nextBlockNumber()', async () => {
    const service = await proposer()
    expect(await read('nextBlockNumber')).toBe(INTERVAL)
    const step = await service.proposer.step()
    expect(step).toEqual({ kind: 'waiting', reason: 'l2-not-final', next: INTERVAL })
  })

  test('outputs the oracle accepts equal outputRootV0 recomputed from the L2 state', async () => {
    const service = await proposer()
    await mineL2(net.l2, Number(INTERVAL * 2n) + 1)
    const first = await proposeOne(service)
    const second = await proposeOne(service)
    expect([first.l2BlockNumber, second.l2BlockNumber]).toEqual([INTERVAL, INTERVAL * 2n])
    expect([first.l2OutputIndex, second.l2OutputIndex]).toEqual([0n, 1n])
    for (const step of [first, second]) {
      const stored = await net.l1.readContract({
        address: oracle(),
        abi: l2OutputOracleAbi,
        functionName: 'getL2Output',
        args: [step.l2OutputIndex],
      })
      expect(stored.outputRoot).toBe(await expectedRoot(step.l2BlockNumber))
      expect(stored.l2BlockNumber).toBe(step.l2BlockNumber)
    }
    const events = await net.l1.getLogs({
      address: oracle(),
      event: parseAbiItem(
        'event OutputProposed(bytes32 indexed outputRoot, uint256 indexed l2OutputIndex, uint256 indexed l2BlockNumber, uint256 l1Timestamp)',
      ),
      fromBlock: 0n,
    })
    expect(events.map((e) => e.args.l2BlockNumber)).toEqual([INTERVAL, INTERVAL * 2n])
    expect(await read('nextBlockNumber')).toBe(INTERVAL * 3n)
  })

  test('a rollup node whose output disagrees with eth_getProof gets nothing posted', async () => {
    const liar = await startElRollupNode({
      l1Rpc: net.l1Anvil.rpc,
      l2Rpc: net.l2Anvil.rpc,
      tamper: (o) => {
        o.outputRoot = `0x${'11'.repeat(32)}`
      },
    })
    try {
      const service = await proposer(liar.url)
      await mineL2(net.l2, Number(INTERVAL))
      const nonce = await net.l1.getTransactionCount({ address: net.accounts.proposer.address })
      let error: unknown
      for (let i = 0; i < 200 && !error; i++) {
        const step = await service.proposer.step().catch((e: unknown) => {
          error = e
        })
        if (step) await new Promise((r) => setTimeout(r, 200))
      }
      expect(error).toBeInstanceOf(OutputMismatchError)
      expect((error as OutputMismatchError).details.expected).toBe(await expectedRoot(INTERVAL * 3n))
      expect(await net.l1.getTransactionCount({ address: net.accounts.proposer.address })).toBe(nonce)
      expect(await read('nextBlockNumber')).toBe(INTERVAL * 3n)
    } finally {
      await liar.close()
    }
  })

  test('a restarted proposer resumes at nextBlockNumber() and serves /healthz and /metrics', async () => {
    const service = await proposer()
    service.proposer.start()
    // Bounded: L1 mines a block a second, the loop polls every 100 ms.
    for (let i = 0; i < 300 && (await read('nextBlockNumber')) === INTERVAL * 3n; i++)
      await new Promise((r) => setTimeout(r, 100))
    await service.proposer.stop()
    expect(await read('latestOutputIndex')).toBe(2n)
    const stored = await net.l1.readContract({
      address: oracle(),
      abi: l2OutputOracleAbi,
      functionName: 'getL2Output',
      args: [2n],
    })
    expect(stored.outputRoot).toBe(await expectedRoot(INTERVAL * 3n))
    const health = await fetch(`${service.ops!.url}/healthz`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ ok: true, proposals: 1 })
    const metrics = await (await fetch(`${service.ops!.url}/metrics`)).text()
    expect(metrics).toMatch(/opl_proposer_proposals_total 1/)
    expect(metrics).toMatch(/opl_proposer_latest_proposed_block 12/)
  })

  test('behind by several outputs: one pass posts them all (consecutive blocks, nonce order), each root correct', async () => {
    const service = await proposer(net.rollupNode.url, { maxProposalsPerStep: 8 })
    const next = await read('nextBlockNumber')
    const last = next + 2n * INTERVAL
    const head = await net.l2.getBlockNumber()
    if (head < last) await mineL2(net.l2, Number(last - head))
    // the oracle takes an output only once its L2 time is in the L1 past (1 s L1 blocks: bounded wait)
    const lastTime = await net.l1.readContract({
      address: oracle(),
      abi: l2OutputOracleAbi,
      functionName: 'computeL2Timestamp',
      args: [last],
    })
    for (let i = 0; i < 600 && (await net.l1.getBlock()).timestamp <= lastTime; i++)
      await new Promise((r) => setTimeout(r, 200))
    const index = await read('latestOutputIndex')
    const step = await service.proposer.step()
    expect(step.kind).toBe('proposed')
    const { proposals } = step as Extract<ProposerStep, { kind: 'proposed' }>
    expect(proposals.map((p) => [p.l2BlockNumber, p.l2OutputIndex])).toEqual([
      [next, index + 1n],
      [next + INTERVAL, index + 2n],
      [last, index + 3n],
    ])
    for (const p of proposals) expect(p.outputRoot).toBe(await expectedRoot(p.l2BlockNumber))
    expect(await read('nextBlockNumber')).toBe(last + INTERVAL)
  })
})
