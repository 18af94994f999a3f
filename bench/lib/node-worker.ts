/**
 * bench/sequencer.ts's node, in its own thread so the benchmark's HTTP client does not share its event loop: an
 * OplNode (LevelDB store on a temp dir, fsync per block, JSON-RPC on a random port) and the node's own Sequencer over
 * an in-process L1 (MemoryL1Source at the L2 genesis time; the sequencer builds the L1-info deposit from it), pulling
 * from the node's tx pool and committing through the node's store. Blocks are built on request (`build` message), the
 * way evm_mine drives anvil, so the measured figure is capacity rather than the 2 s block time.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import { bytesToHex } from 'viem'
import type { GenesisAlloc } from '../../packages/node/src/engine/genesis.js'
import { L1Tracker } from '../../packages/node/src/l1/l1-tracker.js'
import { MemoryL1Source } from '../../packages/node/src/l1/memory-l1-source.js'
import { OplNode } from '../../packages/node/src/node.js'
import { Sequencer } from '../../packages/node/src/sequencer/sequencer.js'
import { testRollupConfig } from '../../packages/node/src/sequencer/test-support.js'

export type NodeWorkerData = {
  alloc: GenesisAlloc
  chainId: bigint
  genesisTime: bigint
  gasLimit: bigint
  baseFee: bigint
  /** the node's sender-recovery workers (undefined: its default) */
  recoveryWorkers?: number
}
export type NodeWorkerRequest =
  | { type: 'build' }
  | { type: 'cpu' }
  | { type: 'profile-start' }
  | { type: 'profile-stop'; path: string }
  | { type: 'stop' }
export type NodeWorkerReply =
  | { type: 'ready'; url: string; dataDir: string }
  | {
      type: 'built'
      number: bigint
      txs: number
      gasUsed: bigint
      ms: number
      /** inside `ms`: sealing (state root, tx/receipt tries) and the store's commit (one fsync'd LevelDB batch) */
      sealMs: number
      commitMs: number
      /** the node thread's CPU time for the build (less inflated by other processes than `ms`) */
      cpuMs: number
      poolTxs: number
      rejected: number
    }
  /** the node thread's CPU time so far (ms) and that of the pool's sender-recovery workers */
  | { type: 'cpu'; cpuMs: number; recoveryCpuMs: number }
  | { type: 'profiled' }
  | { type: 'stopped' }
  | { type: 'error'; message: string }

const data = workerData as NodeWorkerData
const port = parentPort!
const dataDir = await mkdtemp(join(tmpdir(), 'opl-bench-node-'))
const node = await OplNode.start({
  config: { dataDir, genesis: 'unused', httpPort: 0, syncWrites: true, logLevel: 'silent' },
  genesis: {
    chainId: data.chainId,
    spec: { alloc: data.alloc, timestamp: data.genesisTime, gasLimit: data.gasLimit, baseFeePerGas: data.baseFee },
  },
  ...(data.recoveryWorkers === undefined ? {} : { recoveryWorkers: data.recoveryWorkers }),
})
const l1 = new MemoryL1Source({ timestamp: data.genesisTime })
const rollup = testRollupConfig({
  l1Genesis: { hash: l1.head.hash, number: 0n },
  l2Genesis: { hash: bytesToHex(node.engine.genesis.hash()), timestamp: data.genesisTime },
  gasLimit: data.gasLimit,
})
const sequencer = new Sequencer({
  rollup,
  engine: node.engine,
  l1,
  l1Tracker: new L1Tracker(l1, { intervalMs: 1_000 }),
  txSource: node.pool,
  blockSink: node.store,
  // the block time budget is the only limit we lift: a loaded 2-core machine may need more than 1 s per full block
  config: { l1ConfDepth: 0n, maxBuildMs: 600_000 },
  readHead: async () => {
    const head = await node.store.block(node.store.headNumber)
    if (!head) throw new Error('head block missing')
    return head
  },
})
node.attachSequencer(sequencer)
// loaded before the first batch arrives: block 1 is not measured, but a slow load could spill into block 2
await node.pool.warmUpRecovery()

// where a build's time goes: the rest of `ms` is origin selection, pool selection and executing the txs
const phases = { sealMs: 0, commitMs: 0 }
const timed =
  <A extends unknown[], R>(phase: keyof typeof phases, run: (...args: A) => Promise<R>) =>
  async (...args: A): Promise<R> => {
    const t0 = performance.now()
    try {
      return await run(...args)
    } finally {
      phases[phase] += performance.now() - t0
    }
  }
const startBlock = node.engine.startBlock.bind(node.engine)
node.engine.startBlock = async (attributes) => {
  const builder = await startBlock(attributes)
  builder.seal = timed('sealMs', builder.seal.bind(builder))
  return builder
}
node.store.commitBlock = timed('commitMs', node.store.commitBlock.bind(node.store))

const profiler = new Session()
port.on('message', async (request: NodeWorkerRequest) => {
  try {
    if (request.type === 'build') {
      phases.sealMs = 0
      phases.commitMs = 0
      const cpu0 = process.threadCpuUsage()
      const t0 = performance.now()
      const built = await sequencer.buildNext()
      const ms = performance.now() - t0
      const cpu = process.threadCpuUsage(cpu0)
      port.postMessage({
        type: 'built',
        number: built.block.header.number,
        txs: built.block.transactions.length,
        gasUsed: built.block.header.gasUsed,
        ms,
        ...phases,
        cpuMs: (cpu.user + cpu.system) / 1000,
        poolTxs: built.poolTxs,
        rejected: built.rejectedTxs,
      } satisfies NodeWorkerReply)
    } else if (request.type === 'cpu') {
      const cpu = process.threadCpuUsage()
      port.postMessage({
        type: 'cpu',
        cpuMs: (cpu.user + cpu.system) / 1000,
        recoveryCpuMs: node.pool.recoveryCpuMs(),
      } satisfies NodeWorkerReply)
    } else if (request.type === 'profile-start') {
      // only the measured blocks, on this thread: a --cpu-prof profile is mostly start-up and module compilation
      profiler.connect()
      await profiler.post('Profiler.enable')
      await profiler.post('Profiler.start')
      port.postMessage({ type: 'profiled' } satisfies NodeWorkerReply)
    } else if (request.type === 'profile-stop') {
      const { profile } = await profiler.post('Profiler.stop')
      profiler.disconnect()
      await writeFile(request.path, JSON.stringify(profile))
      port.postMessage({ type: 'profiled' } satisfies NodeWorkerReply)
    } else {
      await node.stop()
      await rm(dataDir, { recursive: true, force: true })
      port.postMessage({ type: 'stopped' } satisfies NodeWorkerReply)
      port.close()
    }
  } catch (error) {
    port.postMessage({ type: 'error', message: (error as Error).stack ?? String(error) } satisfies NodeWorkerReply)
  }
})
port.postMessage({ type: 'ready', url: node.rpc.url, dataDir } satisfies NodeWorkerReply)
