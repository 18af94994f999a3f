/**
 * kill -9 under load. The node runs as a child process (opl-node CLI, fsync on, sequencer on a real anvil L1) while
 * senders submit signed transfers over eth_sendRawTransaction and a poller collects receipts. Then SIGKILL, restart
 * on the same data dir, and check: every block seen before the kill has the same hash, the head is not behind, every
 * tx whose receipt was served is still there in the same block, every acknowledged tx (hash returned by
 * eth_sendRawTransaction, mined or not at the kill) is eventually mined after the restarts (the pool's
 * transactions.rlp journal), and recipients' balances equal the sum of the transfers. Repeated OPL_CRASH_REPEATS
 * times (5 by default; the issue asks ≥ 20 for a manual run).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Address, type Hex, keccak256, parseGwei } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { devAccount } from '../packages/devnet/src/accounts.js'
import { type L1WithGenesis, startL1WithGenesis } from '../packages/devnet/src/testing.js'
import { startNodeProcess } from './node-harness.js'

const REPEATS = Number(process.env.OPL_CRASH_REPEATS ?? 5)
const SENDERS = 4
/** txs each sender submits per run before the kill; the kill lands while they are still being sent */
const TXS_PER_SENDER = 300
/** the kill happens once this many receipts of the run were served (and the senders are mid-flight) */
const RECEIPTS_BEFORE_KILL = 120

const dir = mkdtempSync(join(tmpdir(), 'opl-node-crash-'))
const dataDir = join(dir, 'l2')
const senders = Array.from({ length: SENDERS }, (_, i) => privateKeyToAccount(devAccount(10 + i).privateKey))
let chain: L1WithGenesis

type Sent = { hash: Hex; to: Address; value: bigint }
type Served = { blockHash: Hex; blockNumber: bigint }

beforeAll(async () => {
  chain = await startL1WithGenesis({ dir, l1BlockTime: 1, l2BlockTime: 1 })
}, 120_000)

afterAll(async () => {
  await chain?.anvil.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await res.json()) as { result?: T; error?: { message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.message}`)
  return body.result as T
}

/** The node as a child process with fsync on (the durability a crash needs). */
const startNode = () =>
  startNodeProcess(chain, dataDir, { OPL_NODE_SEQUENCER_L1_CONFS: '0', OPL_NODE_SYNC_WRITES: 'true' })

/** One JSON-RPC batch request (chunks of 500); the results in order, null for a null result. */
async function rpcBatch<T>(url: string, calls: { method: string; params: unknown[] }[]): Promise<(T | null)[]> {
  const results: (T | null)[] = []
  for (let start = 0; start < calls.length; start += 500) {
    const chunk = calls.slice(start, start + 500)
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chunk.map((call, id) => ({ jsonrpc: '2.0', id, ...call }))),
    })
    const replies = (await res.json()) as { id: number; result?: T | null; error?: { message: string } }[]
    const byId = new Map(replies.map((reply) => [reply.id, reply]))
    for (let id = 0; id < chunk.length; id++) {
      const reply = byId.get(id)
      if (!reply || reply.error) throw new Error(`${chunk[id]!.method}: ${reply?.error?.message ?? 'no reply'}`)
      results.push(reply.result ?? null)
    }
  }
  return results
}

type Receipt = { blockHash: Hex; blockNumber: Hex; status: Hex }
const receiptsOf = (url: string, hashes: Hex[]) =>
  rpcBatch<Receipt>(
    url,
    hashes.map((hash) => ({ method: 'eth_getTransactionReceipt', params: [hash] })),
  )

/** Every block seen before a kill still has the hash it had. */
async function expectSameBlocks(url: string, seen: Map<bigint, Hex>): Promise<void> {
  const numbers = [...seen.keys()]
  const blocks = await rpcBatch<{ hash: Hex }>(
    url,
    numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [`0x${n.toString(16)}`, false] })),
  )
  expect(blocks.map((block) => block?.hash)).toEqual(numbers.map((n) => seen.get(n)))
}

/**
 * One sender: signed transfers with consecutive nonces, each acknowledged (hash returned) before the next. Every tx
 * sent is recorded in `tried` first: one whose request was cut by the kill may have been journaled (persisted before
 * the answer) and be mined after the restart, though it was never acknowledged.
 */
async function send(
  url: string,
  index: number,
  run: number,
  acked: Sent[],
  tried: Sent[],
  stop: AbortSignal,
): Promise<void> {
  const account = senders[index]!
  // 'pending': txs acknowledged before the last kill come back from the journal and still hold their nonces
  let nonce = BigInt(await rpc<Hex>(url, 'eth_getTransactionCount', [account.address, 'pending']))
  const to = `0x${(0xc0000 + run * 16 + index).toString(16).padStart(40, '0')}` as Address
  for (let i = 0; i < TXS_PER_SENDER && !stop.aborted; i++) {
    const value = BigInt(1 + ((i * 7919 + index) % 1000))
    const raw = await account.signTransaction({
      chainId: chain.rollup.l2ChainId,
      type: 'eip1559',
      nonce: Number(nonce),
      to,
      value,
      gas: 21_000n,
      maxFeePerGas: parseGwei('100'),
      maxPriorityFeePerGas: parseGwei('1'),
    })
    let hash: Hex | undefined
    tried.push({ hash: keccak256(raw), to, value })
    // The pool holds at most txpoolAccountSlots txs per sender: when the sequencer lags, wait for a block (bounded).
    for (let attempt = 0; hash === undefined && attempt < 100; attempt++) {
      try {
        hash = await rpc<Hex>(url, 'eth_sendRawTransaction', [raw])
      } catch (error) {
        if (stop.aborted) return // the node was killed under us: this tx was never acknowledged
        if (!/account limit exceeded|txpool is full/.test((error as Error).message)) throw error
        await new Promise((r) => setTimeout(r, 200))
      }
    }
    if (hash === undefined) throw new Error(`sender ${index}: pool kept refusing nonce ${nonce}`)
    expect(hash).toBe(keccak256(raw))
    acked.push({ hash, to, value })
    nonce++
  }
}

/** Polls receipts of acknowledged txs (one batch request per round) until `enough` were served or `stop`. */
async function collectReceipts(
  url: string,
  acked: Sent[],
  served: Map<Hex, Served>,
  enough: number,
  stop: AbortSignal,
): Promise<void> {
  for (let round = 0; round < 3_000 && !stop.aborted && served.size < enough; round++) {
    const waiting = acked.filter((tx) => !served.has(tx.hash)).slice(0, 500)
    const receipts = await receiptsOf(
      url,
      waiting.map((tx) => tx.hash),
    )
    receipts.forEach((receipt, i) => {
      if (receipt) {
        served.set(waiting[i]!.hash, { blockHash: receipt.blockHash, blockNumber: BigInt(receipt.blockNumber) })
      }
    })
    await new Promise((r) => setTimeout(r, 100))
  }
  if (served.size < enough && !stop.aborted) throw new Error(`only ${served.size} receipts served`)
}

test(
  `kill -9 under load, ${REPEATS} times: same blocks, no served receipt lost, balances match`,
  async () => {
    const allAcked: Sent[] = []
    const allTried: Sent[] = []
    const allServed = new Map<Hex, Served>()
    const seenBlocks = new Map<bigint, Hex>()
    const figures: string[] = []
    for (let run = 0; run < REPEATS; run++) {
      const started = performance.now()
      const { node, url } = await startNode()
      const upMs = Math.round(performance.now() - started)
      try {
        // Nothing seen before any earlier kill changed, and nothing served was lost.
        const head = BigInt(await rpc<Hex>(url, 'eth_blockNumber', []))
        const maxSeen = [...seenBlocks.keys()].reduce((a, b) => (a > b ? a : b), 0n)
        expect(head).toBeGreaterThanOrEqual(maxSeen)
        await expectSameBlocks(url, seenBlocks)
        const servedHashes = [...allServed.keys()]
        const again = await receiptsOf(url, servedHashes)
        expect(again.map((receipt) => receipt?.blockHash)).toEqual(servedHashes.map((h) => allServed.get(h)!.blockHash))
        expect(again.every((receipt) => receipt?.status === '0x1')).toBe(true)

        const acked: Sent[] = []
        const served = new Map<Hex, Served>()
        const stop = new AbortController()
        const sending = Promise.all(senders.map((_, i) => send(url, i, run, acked, allTried, stop.signal)))
        await collectReceipts(url, acked, served, RECEIPTS_BEFORE_KILL, stop.signal)
        for (const [hash, where] of served) {
          allServed.set(hash, where)
          seenBlocks.set(where.blockNumber, where.blockHash)
        }
        stop.abort()
        const signal = await node.kill()
        await sending
        allAcked.push(...acked)
        expect(signal).toBe('SIGKILL')
        const figure = `run ${run + 1}: restart ${upMs} ms, ${acked.length} acked, ${served.size} receipts served before kill -9`
        figures.push(figure)
        console.log(figure)
      } finally {
        await node.kill()
      }
    }

    // Last restart: the state agrees with the receipts. Each recipient holds exactly the transfers that were included.
    const { node, url } = await startNode()
    try {
      const byRecipient = new Map<Address, bigint>()
      let included = 0
      // every acknowledged tx gets mined: the ones pending at the last kill come back from the journal (bounded wait)
      let receipts = await receiptsOf(
        url,
        allAcked.map((tx) => tx.hash),
      )
      for (let round = 0; round < 240 && receipts.some((receipt) => receipt === null); round++) {
        await new Promise((r) => setTimeout(r, 250))
        receipts = await receiptsOf(
          url,
          allAcked.map((tx) => tx.hash),
        )
      }
      expect(allAcked.filter((_, i) => receipts[i] === null).map((tx) => tx.hash)).toEqual([])
      for (const [i, tx] of allAcked.entries()) {
        const served = allServed.get(tx.hash)
        if (served) expect(receipts[i]?.blockHash).toBe(served.blockHash)
      }
      // Balances count every tx that was mined: the acknowledged ones and any cut-off one the journal had kept.
      const triedReceipts = await receiptsOf(
        url,
        allTried.map((tx) => tx.hash),
      )
      for (const [i, tx] of allTried.entries()) {
        if (!triedReceipts[i]) continue
        included++
        byRecipient.set(tx.to, (byRecipient.get(tx.to) ?? 0n) + tx.value)
      }
      for (const [to, sum] of byRecipient)
        expect(BigInt(await rpc<Hex>(url, 'eth_getBalance', [to, 'latest']))).toBe(sum)
      await expectSameBlocks(url, seenBlocks)
      console.log(
        [
          ...figures,
          `${REPEATS} kills: ${allAcked.length} acked, ${allServed.size} receipts served, all kept; ${included} included (every acked tx + ${included - allAcked.length} cut off by a kill but journaled)`,
        ].join('\n'),
      )
      expect(allServed.size).toBeGreaterThanOrEqual(REPEATS * RECEIPTS_BEFORE_KILL)
    } finally {
      await node.stop()
    }
    // bounded per run: a restart plus a few blocks of load, with room for 2 cores shared with other work
  },
  120_000 * (REPEATS + 1),
)
