/**
 * The full node path, side by side with anvil in one run: txs submitted over JSON-RPC, blocks produced by the node's
 * own Sequencer (L1-info deposit + pool txs, committed through the LevelDB store with fsync, state roots on), until
 * every receipt is served.
 *
 *   pnpm exec tsx bench/sequencer.ts [--blocks 10] [--workloads eth,erc20] [--modes single,batch]
 *   pnpm exec tsx bench/sequencer.ts --targets node --profile /tmp/prof ...   # + bench/lib/profile-top.ts
 *
 * Workloads as docs/evm-engines.md (1000 senders, 500-tx blocks, ETH transfers / ERC-20 transfers to fresh
 * recipients, chain 901, 60M gas). Targets, each on the same genesis and the same pre-signed raw txs:
 * - opl-node: OplNode in a worker thread (bench/lib/node-worker.ts), its Sequencer over an in-process L1, one block
 *   built on request after each batch of 500 submissions;
 * - anvil 1.7.1 `--hardfork cancun --no-mining --init genesis.json`, evm_mine after each batch of 500.
 * Modes: `single` = one eth_sendRawTransaction request at a time; `batch` = one JSON-RPC batch of 500 per block.
 * Per block: submit → build/mine → receipts (`--receipts block`: one eth_getBlockReceipts; `--receipts each`: one batch
 * of 500 eth_getTransactionReceipt); all 500 must be there with status 1. ms/block is the median of blocks 2..N;
 * Mgas/s counts the 500 user txs' gas (not the L1-info deposit); "to durable block" leaves the receipt fetch out.
 * The node's split also gives CPU time (less inflated than wall time when other processes load the machine): its
 * thread's during submission (`cpu`, admission) plus its sender-recovery workers' (`+rec`), and during the build.
 * `--recovery-workers N`: the node's sender-recovery workers (default: its own, 1 on 2+ cores). `--profile DIR`: a V8 CPU profile of the node's thread over blocks 2..N of each workload and mode (DIR/<workload>-
 * <mode>.cpuprofile).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import { bytesToHex, type Hex, hexToBigInt, hexToBytes } from 'viem'
import { startAnvil } from '../packages/devnet/src/anvil.js'
import { keccak256 } from '../packages/node/src/engine/crypto.js'
import type { NodeWorkerData, NodeWorkerReply, NodeWorkerRequest } from './lib/node-worker.js'
import {
  BASE_FEE,
  CHAIN_ID,
  edrAlloc,
  fmt,
  GAS_LIMIT,
  GENESIS_TIME,
  genesisAccounts,
  gethGenesis,
  load,
  makeSenders,
  median,
  signBlocks,
  TXS_PER_BLOCK,
  tokenRuntime,
  type Workload,
} from './lib/workload.js'

const { values } = parseArgs({
  options: {
    blocks: { type: 'string', default: '10' },
    workloads: { type: 'string', default: 'eth,erc20' },
    modes: { type: 'string', default: 'single,batch' },
    targets: { type: 'string', default: 'node,anvil' },
    receipts: { type: 'string', default: 'block' },
    profile: { type: 'string' },
    'recovery-workers': { type: 'string' },
  },
})
const BLOCKS = Number(values.blocks)
const WORKLOADS = values.workloads.split(',') as Workload[]
const MODES = values.modes.split(',') as Mode[]
const TARGETS = values.targets.split(',')
/** `block`: one eth_getBlockReceipts per block; `each`: a batch of 500 eth_getTransactionReceipt (one per tx) */
const RECEIPTS = values.receipts as 'block' | 'each'
type Mode = 'single' | 'batch'

/** the node's build split (anvil has none) */
type BuildSplit = { txs: number; seal: number; commit: number; cpu: number }
/** CPU ms of the node's thread and of its sender-recovery workers, so far */
type CpuReading = { node: number; recovery: number }
type Target = {
  name: string
  url: string
  mine(): Promise<BuildSplit | undefined>
  stop(): Promise<void>
  cpu?(): Promise<CpuReading>
  profile?(path?: string): Promise<void>
}
type BlockResult = {
  ms: number
  gas: number
  submit: number
  build: number
  receipts: number
  buildSplit?: BuildSplit
  submitCpu?: CpuReading
}

let rpcId = 0
async function post(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`)
  return res.json()
}
type RpcResponse = { id: number; result?: unknown; error?: { code: number; message: string } }
async function call<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const response = (await post(url, { jsonrpc: '2.0', id: ++rpcId, method, params })) as RpcResponse
  if (response.error) throw new Error(`${method}: ${response.error.message}`)
  return response.result as T
}
async function batch(url: string, method: string, paramsList: unknown[][]): Promise<RpcResponse[]> {
  const responses = (await post(
    url,
    paramsList.map((params) => ({ jsonrpc: '2.0', id: ++rpcId, method, params })),
  )) as RpcResponse[]
  for (const response of responses) if (response.error) throw new Error(`${method}: ${response.error.message}`)
  return responses
}

async function startNodeTarget(alloc: NodeWorkerData['alloc']): Promise<Target> {
  const worker = new Worker(new URL('./lib/node-worker.ts', import.meta.url), {
    workerData: {
      alloc,
      chainId: CHAIN_ID,
      genesisTime: GENESIS_TIME,
      gasLimit: GAS_LIMIT,
      baseFee: BASE_FEE,
      ...(values['recovery-workers'] === undefined ? {} : { recoveryWorkers: Number(values['recovery-workers']) }),
    } satisfies NodeWorkerData,
  })
  const replies: NodeWorkerReply[] = []
  let wake: (() => void) | undefined
  worker.on('message', (reply: NodeWorkerReply) => {
    replies.push(reply)
    wake?.()
  })
  worker.on('error', (error) => {
    replies.push({ type: 'error', message: error.stack ?? String(error) })
    wake?.()
  })
  const next = async (): Promise<NodeWorkerReply> => {
    while (replies.length === 0) await new Promise<void>((resolve) => (wake = resolve))
    const reply = replies.shift()!
    if (reply.type === 'error') throw new Error(`node worker: ${reply.message}`)
    return reply
  }
  const send = (request: NodeWorkerRequest) => worker.postMessage(request)
  const ready = await next()
  if (ready.type !== 'ready') throw new Error(`node worker: unexpected ${ready.type}`)
  return {
    name: 'opl-node (sequencer, LevelDB, fsync)',
    url: ready.url,
    async mine() {
      send({ type: 'build' })
      const built = await next()
      if (built.type !== 'built') throw new Error(`node worker: unexpected ${built.type}`)
      if (built.poolTxs !== TXS_PER_BLOCK)
        throw new Error(`block ${built.number}: ${built.poolTxs} pool txs, ${built.rejected} rejected`)
      return {
        txs: built.ms - built.sealMs - built.commitMs,
        seal: built.sealMs,
        commit: built.commitMs,
        cpu: built.cpuMs,
      }
    },
    async cpu() {
      send({ type: 'cpu' })
      const reading = await next()
      if (reading.type !== 'cpu') throw new Error(`node worker: unexpected ${reading.type}`)
      return { node: reading.cpuMs, recovery: reading.recoveryCpuMs }
    },
    async profile(path) {
      send(path === undefined ? { type: 'profile-start' } : { type: 'profile-stop', path })
      await next()
    },
    async stop() {
      send({ type: 'stop' })
      await next()
      await worker.terminate()
    },
  }
}

async function startAnvilTarget(accounts: ReturnType<typeof genesisAccounts>): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), 'opl-bench-anvil-'))
  const init = join(dir, 'genesis.json')
  await writeFile(
    init,
    JSON.stringify(gethGenesis(accounts), (_, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)),
  )
  const anvil = await startAnvil({
    port: 20_000 + Math.floor(Math.random() * 20_000),
    chainId: Number(CHAIN_ID),
    hardfork: 'cancun',
    init,
    args: ['--no-mining', '--gas-limit', String(GAS_LIMIT)],
  })
  return {
    name: 'anvil 1.7.1 (cancun, evm_mine)',
    url: anvil.rpc,
    async mine() {
      await call(anvil.rpc, 'evm_mine', [])
      return undefined
    },
    async stop() {
      await anvil.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

async function runBlock(target: Target, raws: Hex[], hashes: Hex[], mode: Mode): Promise<BlockResult> {
  const cpu0 = await target.cpu?.()
  const t0 = performance.now()
  if (mode === 'single') {
    for (const raw of raws) await call(target.url, 'eth_sendRawTransaction', [raw])
  } else {
    await batch(
      target.url,
      'eth_sendRawTransaction',
      raws.map((raw) => [raw]),
    )
  }
  const submitted = performance.now()
  const cpu1 = await target.cpu?.()
  const t1 = performance.now()
  const buildSplit = await target.mine()
  const t2 = performance.now()
  type Receipt = { transactionHash: Hex; status: Hex; gasUsed: Hex }
  const receipts: (Receipt | null)[] =
    RECEIPTS === 'each'
      ? (
          await batch(
            target.url,
            'eth_getTransactionReceipt',
            hashes.map((hash) => [hash]),
          )
        ).map((response) => response.result as Receipt | null)
      : await call<Receipt[]>(target.url, 'eth_getBlockReceipts', ['latest'])
  const t3 = performance.now()
  const byHash = new Map(receipts.filter((r) => r !== null).map((r) => [r.transactionHash.toLowerCase(), r]))
  let gas = 0
  for (const hash of hashes) {
    const receipt = byHash.get(hash.toLowerCase())
    if (!receipt) throw new Error(`${target.name}: no receipt for ${hash}`)
    if (receipt.status !== '0x1') throw new Error(`${target.name}: ${hash} failed`)
    gas += Number(hexToBigInt(receipt.gasUsed))
  }
  return {
    ms: t3 - t1 + (submitted - t0),
    gas,
    submit: submitted - t0,
    build: t2 - t1,
    receipts: t3 - t2,
    ...(buildSplit ? { buildSplit } : {}),
    ...(cpu0 && cpu1 ? { submitCpu: { node: cpu1.node - cpu0.node, recovery: cpu1.recovery - cpu0.recovery } } : {}),
  }
}

const senders = makeSenders()
const runtime = tokenRuntime()
const plan = WORKLOADS.flatMap((workload) => MODES.map((mode) => ({ workload, mode })))
const nonces: number[] = []
let firstRecipient = 0
const signed = plan.map(({ workload, mode }) => {
  const blocks = signBlocks(workload, senders, BLOCKS, nonces, firstRecipient)
  firstRecipient += BLOCKS * TXS_PER_BLOCK
  return {
    workload,
    mode,
    blocks,
    hashes: blocks.map((raws) => raws.map((raw) => bytesToHex(keccak256(hexToBytes(raw))))),
  }
})

console.log(`sequencer bench: ${BLOCKS} blocks × 500 txs per workload and mode; load average before: ${load()}`)
type Row = { target: string; ms: number; txs: number; mgas: number; durableMgas: number; split: string; load: string }
const rows = new Map<string, Row[]>()
for (const targetName of TARGETS) {
  const target =
    targetName === 'node'
      ? await startNodeTarget(edrAlloc(genesisAccounts(senders, runtime, true)))
      : await startAnvilTarget(genesisAccounts(senders, runtime, false))
  try {
    for (const { workload, mode, blocks, hashes } of signed) {
      const results: BlockResult[] = []
      for (const [b, raws] of blocks.entries()) {
        if (b === 1 && values.profile) await target.profile?.()
        results.push(await runBlock(target, raws, hashes[b]!, mode))
      }
      if (values.profile && target.profile) {
        await mkdir(values.profile, { recursive: true })
        await target.profile(join(values.profile, `${workload}-${mode}.cpuprofile`))
      }
      const measured = results.slice(1)
      const ms = median(measured.map((r) => r.ms))
      const gas = median(measured.map((r) => r.gas))
      const row = {
        target: target.name,
        ms,
        txs: (TXS_PER_BLOCK / ms) * 1000,
        mgas: gas / ms / 1000,
        durableMgas: gas / median(measured.map((r) => r.submit + r.build)) / 1000,
        split: `submit ${fmt(median(measured.map((r) => r.submit)))}${submitCpuOf(measured)} / build ${fmt(median(measured.map((r) => r.build)))}${buildSplitOf(measured)} / receipts ${fmt(median(measured.map((r) => r.receipts)))}`,
        load: load().split(' ')[0]!,
      }
      const key = `${workload} | ${mode}`
      rows.set(key, [...(rows.get(key) ?? []), row])
      console.log(
        `| ${key} | ${row.target} | ${fmt(row.ms)} | ${fmt(row.txs)} | ${fmt(row.mgas, 1)} | ${fmt(row.durableMgas, 1)} | ${row.split} | ${row.load} |`,
      )
    }
  } finally {
    await target.stop()
  }
}
console.log(
  `\nreceipts fetched with: ${RECEIPTS === 'each' ? '500 × eth_getTransactionReceipt (one batch)' : 'eth_getBlockReceipts'}`,
)
console.log(
  '| workload | submission | target | ms/block | tx/s | Mgas/s (all receipts served) | node ÷ anvil | Mgas/s to durable block (submit+build) | node ÷ anvil | split (ms, medians) | load 1m |',
)
console.log('|---|---|---|---|---|---|---|---|---|---|---|')
for (const [key, list] of rows) {
  const anvil = list.find((row) => row.target.startsWith('anvil'))
  for (const row of list) {
    const ratio = anvil ? fmt(row.mgas / anvil.mgas, 2) : '-'
    const durableRatio = anvil ? fmt(row.durableMgas / anvil.durableMgas, 2) : '-'
    console.log(
      `| ${key} | ${row.target} | ${fmt(row.ms)} | ${fmt(row.txs)} | ${fmt(row.mgas, 1)} | ${ratio} | ${fmt(row.durableMgas, 1)} | ${durableRatio} | ${row.split} | ${row.load} |`,
    )
  }
}
console.log(`load average after: ${load()}`)

/** ` (txs … / seal … / commit …; cpu …)`: medians of the node's build phases and of its thread's CPU time */
function buildSplitOf(results: BlockResult[]): string {
  const splits = results.flatMap((r) => (r.buildSplit ? [r.buildSplit] : []))
  if (splits.length === 0) return ''
  const part = (key: keyof BuildSplit) => `${key} ${fmt(median(splits.map((s) => s[key])))}`
  return ` (${part('txs')} / ${part('seal')} / ${part('commit')}; ${part('cpu')})`
}

/** ` (cpu … +rec …)`: medians of the node thread's and the recovery workers' CPU ms during submission */
function submitCpuOf(results: BlockResult[]): string {
  const readings = results.flatMap((r) => (r.submitCpu ? [r.submitCpu] : []))
  if (readings.length === 0) return ''
  const recovery = median(readings.map((r) => r.recovery))
  return ` (cpu ${fmt(median(readings.map((r) => r.node)))}${recovery > 0 ? ` +rec ${fmt(recovery)}` : ''})`
}
