import pino from 'pino'
import {
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  type Hash,
  http,
  type PublicClient,
  type TestClient,
} from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { type Anvil, startAnvil } from '../../devnet/src/anvil.js'
import { freePort } from '../../devnet/src/ports.js'
import { TxRejectedError, TxSendTimeoutError } from './errors.js'
import { TxManager, type TxManagerOptions } from './tx-manager.js'

const MNEMONIC = 'test test test test test test test test test test test junk'
/** A contract whose every call fails (INVALID), so gas estimation for it throws. */
const REVERTER: Address = '0x00000000000000000000000000000000000bad00'
const SINK: Address = '0x000000000000000000000000000000000000c0de'

let anvil: Anvil
let l1: PublicClient
let testClient: TestClient<'anvil'>
let nextAccount = 1

beforeAll(async () => {
  anvil = await startAnvil({ port: await freePort(), chainId: 31337 })
  l1 = createPublicClient({ transport: http(anvil.rpc) })
  testClient = createTestClient({ mode: 'anvil', transport: http(anvil.rpc) })
  await testClient.setCode({ address: REVERTER, bytecode: '0xfe' })
})

afterEach(async () => {
  await testClient.setAutomine(true)
})

afterAll(async () => {
  await anvil?.stop()
})

type LogLine = { msg: string; nonce?: number; hash?: Hash; maxFeePerGas?: string; maxPriorityFeePerGas?: string }

/** A TxManager on its own anvil account (tests do not share nonces) with its log lines captured. */
function manager(options: Partial<TxManagerOptions> = {}) {
  const account = mnemonicToAccount(MNEMONIC, { addressIndex: nextAccount++ })
  const logs: LogLine[] = []
  const log = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) })
  const txmgr = new TxManager({
    l1,
    account,
    chainId: 31337,
    log,
    numConfirmations: 1,
    resubmissionTimeoutMs: 60_000,
    pollIntervalMs: 25,
    sendTimeoutMs: 60_000,
    maxPending: 0,
    feeBumpPercent: 10,
    minTipWei: 1_000_000n,
    ...options,
  })
  return { txmgr, account, logs }
}

const call = (data: `0x${string}` = '0x01') => ({ to: SINK, data })

/** Polls `check` (bounded) until it holds. */
async function until(check: () => Promise<boolean> | boolean, what: string, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

async function pooled(address: Address): Promise<number> {
  const [latest, pending] = await Promise.all([
    l1.getTransactionCount({ address, blockTag: 'latest' }),
    l1.getTransactionCount({ address, blockTag: 'pending' }),
  ])
  return pending - latest
}

/** Mines a block every poll until `promise` settles (bounded). */
async function mineUntil<T>(promise: Promise<T>, tries = 400): Promise<T> {
  let settled = false
  const tracked = promise.finally(() => {
    settled = true
  })
  for (let i = 0; i < tries && !settled; i++) {
    await testClient.mine({ blocks: 1 })
    await new Promise((r) => setTimeout(r, 25))
  }
  return tracked
}

/** The tx of `from` at `nonce`, searched from the newest block down (bounded by the chain length). */
async function txAtNonce(from: Address, nonce: number) {
  const head = await l1.getBlockNumber({ cacheTime: 0 })
  for (let n = head; n >= 0n; n--) {
    const block = await l1.getBlock({ blockNumber: n, includeTransactions: true })
    const tx = block.transactions.find((t) => t.from.toLowerCase() === from.toLowerCase() && t.nonce === nonce)
    if (tx) return tx
  }
  return undefined
}

describe('TxManager against anvil', () => {
  test('concurrent sends take consecutive nonces and every one is confirmed', async () => {
    const { txmgr, account } = manager()
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => txmgr.send(call(`0x0${i + 1}`))))
    expect(results.map((r) => r.nonce)).toEqual([0, 1, 2, 3, 4])
    expect(results.every((r) => r.receipt.status === 'success')).toBe(true)
    expect(await l1.getTransactionCount({ address: account.address })).toBe(5)
  })

  test('max pending: no more than maxPending txs are out at once, the rest wait their turn', async () => {
    const { txmgr, account } = manager({ maxPending: 2 })
    await testClient.setAutomine(false)
    const sends = Promise.all(Array.from({ length: 4 }, () => txmgr.send(call())))
    await until(async () => (await pooled(account.address)) === 2, 'two txs in the pool')
    // Several polls later still only two: the other two sends are queued inside the manager, not on L1.
    await new Promise((r) => setTimeout(r, 300))
    expect(await pooled(account.address)).toBe(2)
    expect(txmgr.pending).toBe(2)
    const results = await mineUntil(sends)
    expect(results.map((r) => r.nonce).sort()).toEqual([0, 1, 2, 3])
  })

  test('resubmission: each replacement raises tip and fee cap by at least 10 %, as an EIP-1559 (never blob) tx', async () => {
    const { txmgr, logs } = manager({ resubmissionTimeoutMs: 150 })
    await testClient.setAutomine(false)
    const send = txmgr.send(call())
    await until(() => logs.filter((l) => l.msg === 'tx sent').length >= 3, 'three broadcasts')
    const result = await mineUntil(send)
    const sent = logs.filter((l) => l.msg === 'tx sent')
    expect(result.attempts).toBeGreaterThanOrEqual(3)
    for (let i = 1; i < sent.length; i++) {
      const [prev, next] = [sent[i - 1]!, sent[i]!]
      expect(BigInt(next.maxPriorityFeePerGas!) * 100n).toBeGreaterThanOrEqual(
        BigInt(prev.maxPriorityFeePerGas!) * 110n,
      )
      expect(BigInt(next.maxFeePerGas!) * 100n).toBeGreaterThanOrEqual(BigInt(prev.maxFeePerGas!) * 110n)
    }
    // The pool kept the last replacement: that is what was mined.
    expect(result.receipt.transactionHash).toBe(sent.at(-1)!.hash)
    const mined = await l1.getTransaction({ hash: result.receipt.transactionHash })
    expect(mined.type).toBe('eip1559')
    expect(mined.maxFeePerGas).toBe(BigInt(sent.at(-1)!.maxFeePerGas!))
  })

  test('confirmation depth: the send resolves only once numConfirmations blocks hold the tx', async () => {
    const { txmgr, account } = manager({ numConfirmations: 3 })
    await testClient.setAutomine(false)
    let done = false
    const send = txmgr.send(call()).finally(() => {
      done = true
    })
    await until(async () => (await pooled(account.address)) === 1, 'the tx in the pool')
    for (const depth of [1, 2]) {
      await testClient.mine({ blocks: 1 })
      await new Promise((r) => setTimeout(r, 200))
      expect(done, `resolved at depth ${depth}`).toBe(false)
    }
    await testClient.mine({ blocks: 1 })
    const { receipt } = await send
    expect((await l1.getBlockNumber({ cacheTime: 0 })) - receipt.blockNumber + 1n).toBe(3n)
  })

  test('nonce too low: a tx sent with the same key elsewhere is a TxRejectedError, the next send re-reads the nonce', async () => {
    const { txmgr, account } = manager()
    expect((await txmgr.send(call())).nonce).toBe(0)
    const wallet = createWalletClient({ account, chain: foundry, transport: http(anvil.rpc) })
    await wallet.sendTransaction({ to: SINK, nonce: 1 })
    const error = await txmgr.send(call()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TxRejectedError)
    expect((error as TxRejectedError).details).toMatchObject({ nonce: 1 })
    expect((await txmgr.send(call())).nonce).toBe(2)
  })

  test('replacement underpriced: a pooled tx at our nonce with higher fees is outbid by bumping', async () => {
    const { txmgr, account, logs } = manager()
    const wallet = createWalletClient({ account, chain: foundry, transport: http(anvil.rpc) })
    // Our nonce count is known (1) before their tx is pooled at that nonce.
    expect((await txmgr.send(call())).nonce).toBe(0)
    await testClient.setAutomine(false)
    const block = await l1.getBlock()
    const theirs = await wallet.sendTransaction({
      to: SINK,
      nonce: 1,
      maxFeePerGas: block.baseFeePerGas! * 3n,
      maxPriorityFeePerGas: 50_000_000n,
    })
    const send = txmgr.send(call('0x42'))
    // Mine only once ours replaced theirs in the pool, or the block would hold theirs.
    await until(() => logs.some((l) => l.msg === 'tx sent' && l.nonce === 1), 'our replacement accepted')
    const result = await mineUntil(send)
    expect(result.nonce).toBe(1)
    const ours = await l1.getTransaction({ hash: result.receipt.transactionHash })
    expect(ours.input).toBe('0x42')
    expect(ours.maxPriorityFeePerGas! * 100n).toBeGreaterThanOrEqual(50_000_000n * 110n)
    await expect(l1.getTransactionReceipt({ hash: theirs })).rejects.toThrow()
  })
})

describe('TxManager nonce gaps', () => {
  test('a send failing before broadcast with later txs out: its nonce is filled by a 0-value self-send, later txs land', async () => {
    const { txmgr, account } = manager({ maxPending: 3 })
    const failing = txmgr.send({ to: REVERTER, data: '0x' }).catch((e: unknown) => e)
    const later = [txmgr.send(call('0x0b')), txmgr.send(call('0x0c'))]
    expect(await failing).toBeInstanceOf(Error)
    const results = await Promise.all(later)
    expect(results.map((r) => r.nonce)).toEqual([1, 2])
    await txmgr.settled()
    expect(txmgr.gapFills).toBe(1)
    const fill = await txAtNonce(account.address, 0)
    expect(fill).toMatchObject({ to: account.address.toLowerCase(), value: 0n, input: '0x', gas: 21_000n })
    expect(await l1.getTransactionCount({ address: account.address })).toBe(3)
  })

  test('a send failing with nothing else out gives its nonce back: the next send takes it, no filler tx', async () => {
    const { txmgr, account } = manager()
    await expect(txmgr.send({ to: REVERTER, data: '0x' })).rejects.toThrow()
    const next = await txmgr.send(call())
    expect(next.nonce).toBe(0)
    expect(txmgr.gapFills).toBe(0)
    expect(await l1.getTransactionCount({ address: account.address })).toBe(1)
  })

  test('the manager gives up on a tx dropped from the pool while a later tx waits: the gap is filled, the later tx lands', async () => {
    const { txmgr, account, logs } = manager({ sendTimeoutMs: 5_000, maxPending: 2 })
    await testClient.setAutomine(false)
    const dropped = txmgr.send(call('0x0a')).catch((e: unknown) => e)
    await until(() => logs.some((l) => l.msg === 'tx sent' && l.nonce === 0), 'the first broadcast')
    const hash = logs.find((l) => l.msg === 'tx sent' && l.nonce === 0)!.hash!
    await testClient.dropTransaction({ hash })
    expect(await pooled(account.address)).toBe(0)
    // Started later, so it is still waiting when the first send gives up.
    await new Promise((r) => setTimeout(r, 2_500))
    const later = txmgr.send(call('0x0b'))
    const result = await mineUntil(later)
    expect(result.nonce).toBe(1)
    expect(await dropped).toBeInstanceOf(TxSendTimeoutError)
    await mineUntil(txmgr.settled())
    expect(txmgr.gapFills).toBe(1)
    expect(await txAtNonce(account.address, 0)).toMatchObject({ to: account.address.toLowerCase(), value: 0n })
  }, 60_000)
})
