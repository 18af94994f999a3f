/**
 * The engine's block builder on the evm-engines.md workloads, side by side with EDR (revm, chainType op) in one run.
 *
 *   pnpm exec tsx bench/engine.ts [--blocks 10] [--workloads eth,erc20] [--targets edr,memory,level]
 *
 * Per workload: one setup block (the L1-info deposit, which sets the L1 fee parameters), then `--blocks` blocks of 500
 * pre-signed txs. Three configurations on the same genesis and raw txs:
 * - EDR 0.22 `op`/granite: eth_sendRawTransaction for each tx (one at a time), then evm_mine(timestamp);
 * - engine, in-memory node DB: raw bytes → decodeTransaction → BlockBuilder.add → state root → seal → commit;
 * - engine, LevelDB node DB (classic-level on a temp dir), the same.
 * Both engine runs use EDR's timestamps, prevRandao and parentBeaconBlockRoot; their state, receipts and transactions
 * roots are checked against EDR's block by block. ms/block is the median of blocks 2..N; tx/s and Mgas/s follow from it.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { bytesToHex, type Hex, hexToBigInt, hexToBytes, numberToHex, padHex } from 'viem'
import { SEQUENCER_FEE_VAULT } from '../packages/node/src/engine/addresses.js'
import { LevelNodeBackend } from '../packages/node/src/engine/db/level-backend.js'
import { Engine } from '../packages/node/src/engine/engine.js'
import { createEdrReference, type RpcBlock } from '../packages/node/src/engine/testing/edr-reference.js'
import { l1InfoDeposit } from '../packages/node/src/engine/testing/test-engine.js'
import { decodeTransaction } from '../packages/node/src/engine/transactions.js'
import {
  BASE_FEE,
  CHAIN_ID,
  EIP1559,
  edrAlloc,
  fmt,
  GAS_LIMIT,
  GENESIS_TIME,
  genesisAccounts,
  HARDFORK,
  load,
  makeSenders,
  median,
  signBlocks,
  tokenRuntime,
  type Workload,
} from './lib/workload.js'

const { values } = parseArgs({
  options: {
    blocks: { type: 'string', default: '10' },
    workloads: { type: 'string', default: 'eth,erc20' },
    // without `edr` the engine runs alone (for a CPU profile of the engine only): synthetic block attributes and no
    // root check
    targets: { type: 'string', default: 'edr,memory,level' },
  },
})
const TARGETS = new Set(values.targets.split(','))
const BLOCKS = Number(values.blocks)
const WORKLOADS = values.workloads.split(',') as Workload[]

type BlockResult = { ms: number; gas: number; split: Record<string, number>; roots?: RootSet }
type RootSet = { stateRoot: Hex; receiptsRoot: Hex; transactionsRoot: Hex }

const senders = makeSenders()
const runtime = tokenRuntime()
const accounts = genesisAccounts(senders, runtime, true)
const loadBefore = load()

async function runEdr(blocks: Hex[][]): Promise<{ results: BlockResult[]; headers: RpcBlock[] }> {
  const edr = await createEdrReference({
    chainId: CHAIN_ID,
    hardfork: HARDFORK,
    coinbase: SEQUENCER_FEE_VAULT,
    genesisTimestamp: GENESIS_TIME,
    genesisGasLimit: GAS_LIMIT,
    initialBaseFeePerGas: BASE_FEE,
    eip1559: EIP1559,
    accounts: genesisAccounts(senders, runtime, false),
    withPredeploys: true,
  })
  const headers: RpcBlock[] = []
  await edr.request('eth_sendRawTransaction', [bytesToHex(l1InfoDeposit(1).raw)])
  await edr.request('evm_mine', [Number(GENESIS_TIME + 2n)])
  headers.push(await edr.request<RpcBlock>('eth_getBlockByNumber', ['latest', false]))
  const results: BlockResult[] = []
  for (const [b, raws] of blocks.entries()) {
    const t0 = performance.now()
    for (const raw of raws) await edr.request('eth_sendRawTransaction', [raw])
    const t1 = performance.now()
    await edr.request('evm_mine', [Number(GENESIS_TIME + 2n * BigInt(b + 2))])
    const t2 = performance.now()
    const header = await edr.request<RpcBlock>('eth_getBlockByNumber', ['latest', false])
    if (header.transactions.length !== raws.length) throw new Error(`EDR mined ${header.transactions.length} txs`)
    headers.push(header)
    results.push({
      ms: t2 - t0,
      gas: Number(hexToBigInt(header.gasUsed)),
      split: { submit: t1 - t0, mine: t2 - t1 },
      roots: header,
    })
  }
  return { results, headers }
}

async function runEngine(
  blocks: Hex[][],
  headers: RpcBlock[],
  backendKind: 'memory' | 'level',
): Promise<BlockResult[]> {
  const dir = backendKind === 'level' ? await mkdtemp(join(tmpdir(), 'opl-bench-engine-')) : undefined
  const backend = dir ? await LevelNodeBackend.open(dir) : undefined
  try {
    const engine = await Engine.create({
      config: { chainId: CHAIN_ID, eip1559: EIP1559 },
      genesis: { alloc: edrAlloc(accounts), timestamp: GENESIS_TIME, gasLimit: GAS_LIMIT, baseFeePerGas: BASE_FEE },
      ...(backend ? { backend } : {}),
    })
    const attributesOf = (header: RpcBlock) => ({
      timestamp: hexToBigInt(header.timestamp),
      prevRandao: header.mixHash,
      parentBeaconBlockRoot: header.parentBeaconBlockRoot ?? padHex('0x', { size: 32 }),
      suggestedFeeRecipient: SEQUENCER_FEE_VAULT,
      gasLimit: hexToBigInt(header.gasLimit),
    })
    await engine.buildBlock({ ...attributesOf(headers[0]!), transactions: [l1InfoDeposit(1)] })
    const results: BlockResult[] = []
    for (const [b, raws] of blocks.entries()) {
      const cpu0 = process.threadCpuUsage()
      const t0 = performance.now()
      const txs = raws.map((raw) => decodeTransaction(hexToBytes(raw), engine.common))
      const t1 = performance.now()
      const builder = await engine.startBlock(attributesOf(headers[b + 1]!))
      for (const tx of txs) await builder.add(tx)
      const t2 = performance.now()
      await engine.stateManager.getStateRoot()
      const t3 = performance.now()
      const sealed = await builder.seal()
      const t4 = performance.now()
      await engine.commit(sealed)
      const t5 = performance.now()
      const h = sealed.header
      results.push({
        ms: t5 - t0,
        gas: Number(h.gasUsed),
        split: {
          decode: t1 - t0,
          execute: t2 - t1,
          stateRoot: t3 - t2,
          tries: t4 - t3,
          commit: t5 - t4,
          // this thread's CPU time for the block: less inflated than wall time when other processes share the cores
          cpu: cpuMs(process.threadCpuUsage(cpu0)),
        },
        roots: {
          stateRoot: bytesToHex(h.stateRoot),
          receiptsRoot: bytesToHex(h.receiptTrie),
          transactionsRoot: bytesToHex(h.transactionsTrie),
        },
      })
    }
    return results
  } finally {
    await backend?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  }
}

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000
}

/** Block attributes when EDR does not run: 2 s apart, zero prevRandao and beacon root. */
function syntheticHeaders(count: number): RpcBlock[] {
  const zero = padHex('0x', { size: 32 })
  return Array.from(
    { length: count },
    (_, i) =>
      ({
        timestamp: numberToHex(GENESIS_TIME + 2n * BigInt(i + 1)),
        mixHash: zero,
        parentBeaconBlockRoot: zero,
        gasLimit: numberToHex(GAS_LIMIT),
      }) as RpcBlock,
  )
}

function summarize(name: string, results: BlockResult[], reference?: BlockResult[], noReference = 'not checked') {
  const measured = results.slice(1)
  const ms = median(measured.map((r) => r.ms))
  const gas = median(measured.map((r) => r.gas))
  const split = Object.keys(measured[0]!.split)
    .map((key) => `${key} ${fmt(median(measured.map((r) => r.split[key]!)))}`)
    .join(' / ')
  const roots = reference
    ? results
        .map((r, i) => {
          const ref = reference[i]!.roots!
          const same =
            r.roots!.stateRoot === ref.stateRoot &&
            r.roots!.receiptsRoot === ref.receiptsRoot &&
            r.roots!.transactionsRoot === ref.transactionsRoot
          return same ? '✓' : '✗'
        })
        .join('')
    : noReference
  return { name, ms, txs: (500 / ms) * 1000, mgas: gas / ms / 1000, split, roots }
}

console.log(`engine bench: ${BLOCKS} blocks × 500 txs per workload; load average before: ${loadBefore}`)
const table: string[] = []
let mismatches = 0
for (const workload of WORKLOADS) {
  const blocks = signBlocks(workload, senders, BLOCKS, [])
  const edr = TARGETS.has('edr') ? await runEdr(blocks) : undefined
  const headers = edr?.headers ?? syntheticHeaders(blocks.length + 1)
  const rows = [
    ...(edr ? [summarize('EDR 0.22 op (send each + evm_mine)', edr.results, undefined, 'reference')] : []),
    ...(TARGETS.has('memory')
      ? [summarize('engine, in-memory node DB', await runEngine(blocks, headers, 'memory'), edr?.results)]
      : []),
    ...(TARGETS.has('level')
      ? [summarize('engine, LevelDB node DB', await runEngine(blocks, headers, 'level'), edr?.results)]
      : []),
  ]
  const edrMs = edr ? rows[0]!.ms : Number.NaN
  for (const row of rows) {
    if (row.roots.includes('✗')) mismatches++
    const line = `| ${workload} | ${row.name} | ${fmt(row.ms)} | ${fmt(row.txs)} | ${fmt(row.mgas, 1)} | ${fmt(row.ms / edrMs, 2)} | ${row.split} | ${row.roots} |`
    table.push(line)
    console.log(line)
  }
}
console.log(
  `\n| workload | engine | ms/block | tx/s | Mgas/s | ms vs EDR | split (ms, medians) | roots vs EDR per block |`,
)
console.log('|---|---|---|---|---|---|---|---|')
for (const line of table) console.log(line)
console.log(`load average after: ${load()}`)
if (mismatches > 0) {
  console.error(`${mismatches} configuration(s) with root mismatches`)
  process.exitCode = 1
}
