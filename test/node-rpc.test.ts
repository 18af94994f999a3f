import {
  createPublicClient,
  createWalletClient,
  defineChain,
  fromRlp,
  type Hex,
  http,
  keccak256,
  numberToHex,
  padHex,
  parseGwei,
  webSocket,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { chainConfig } from 'viem/op-stack'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { LOGGER_INITCODE, TEST_ADDRESSES, TEST_KEYS } from '../packages/node/src/engine/testing/fixtures.js'
import { produceBlock, removeDir, startTestNode, tempDir } from '../packages/node/src/engine/testing/node-harness.js'
import { TEST_CHAIN_ID } from '../packages/node/src/engine/testing/test-engine.js'
import type { OplNode } from '../packages/node/src/node.js'

type RlpNode = Hex | RlpNode[]

/** Independent MPT proof walk (viem only): returns the leaf value at keccak(key) under `root`, or null if absent. */
function verifyProof(root: Hex, rawKey: Hex, proof: Hex[]): Hex | null {
  const key = keccak256(rawKey).slice(2)
  let expected: Hex = root
  let at = 0
  for (const encoded of proof) {
    if (keccak256(encoded) !== expected) throw new Error(`proof node hash mismatch at ${at}`)
    let node = fromRlp(encoded) as RlpNode
    for (;;) {
      if (!Array.isArray(node)) throw new Error('malformed node')
      let next: RlpNode
      if (node.length === 17) {
        if (at === key.length) return node[16] as Hex
        next = node[Number.parseInt(key[at++]!, 16)]!
      } else {
        const path = (node[0] as Hex).slice(2)
        const flag = Number.parseInt(path[0]!, 16)
        const nibbles = flag & 1 ? path.slice(1) : path.slice(2)
        if (key.slice(at, at + nibbles.length) !== nibbles) return null
        at += nibbles.length
        if (flag >= 2) return at === key.length ? (node[1] as Hex) : null
        next = node[1]!
      }
      if (Array.isArray(next)) {
        node = next
        continue
      }
      if (next === '0x') return null
      expected = next
      break
    }
  }
  throw new Error('proof ended early')
}

const chain = defineChain({
  ...chainConfig,
  id: Number(TEST_CHAIN_ID),
  name: 'opl-test',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: ['http://127.0.0.1'] } },
})

describe('node JSON-RPC with viem', () => {
  let dir: string
  let node: OplNode
  beforeAll(async () => {
    dir = await tempDir()
    node = await startTestNode(dir)
  })
  afterAll(async () => {
    await node?.stop()
    await removeDir(dir)
  })

  const clients = () => {
    const transport = http(node.rpc.url)
    const account = privateKeyToAccount(TEST_KEYS[0]!)
    return {
      account,
      publicClient: createPublicClient({ chain, transport }),
      wallet: createWalletClient({ chain, transport, account }),
    }
  }

  test('a transfer sent with a viem wallet is mined with the OP receipt fields and moves the balance', async () => {
    const { publicClient, wallet } = clients()
    expect(await publicClient.getChainId()).toBe(Number(TEST_CHAIN_ID))
    const before = await publicClient.getBalance({ address: TEST_ADDRESSES[1]! })
    const hash = await wallet.sendTransaction({ to: TEST_ADDRESSES[1]!, value: 12345n })
    // pooled, not mined: no receipt yet, but the pending nonce already counts it
    expect(await publicClient.getTransactionCount({ address: TEST_ADDRESSES[0]!, blockTag: 'pending' })).toBe(1)
    const status = await publicClient.request({ method: 'txpool_status' as never })
    expect(status).toEqual({ pending: '0x1', queued: '0x0' })
    await produceBlock(node)
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50, timeout: 10_000 })
    expect(receipt.status).toBe('success')
    expect(receipt.blockNumber).toBe(1n)
    expect(receipt.l1Fee).toBeGreaterThan(0n)
    // viem's op-stack formatter converts l1Fee/l1GasUsed/l1GasPrice and leaves the Ecotone scalars as hex
    const raw = receipt as unknown as Record<string, unknown>
    expect(raw.l1BaseFeeScalar).toBe('0x558')
    expect(raw.l1BlobBaseFeeScalar).toBe(numberToHex(810949))
    expect(raw.l1BlobBaseFee).toBe('0x3')
    expect(receipt.l1GasPrice).toBe(7_000_000_000n)
    expect(await publicClient.getBalance({ address: TEST_ADDRESSES[1]! })).toBe(before + 12345n)
    const tx = await publicClient.getTransaction({ hash })
    expect(tx.from.toLowerCase()).toBe(TEST_ADDRESSES[0]!.toLowerCase())
    expect(tx.blockNumber).toBe(1n)
  })

  test('the L1-info deposit is served in op-geth shape and formatted by viem/op-stack as a deposit', async () => {
    const { publicClient } = clients()
    const block = await publicClient.getBlock({ blockNumber: 1n, includeTransactions: true })
    const deposit = block.transactions[0]!
    expect(deposit.type).toBe('deposit')
    expect(deposit).toMatchObject({ isSystemTx: false, mint: 0n, v: 0n })
    expect(deposit.sourceHash).toMatch(/^0x[0-9a-f]{64}$/)
    const receipt = await publicClient.getTransactionReceipt({ hash: deposit.hash })
    expect(receipt.type as string).toBe('0x7e')
    const raw = (await publicClient.request({
      method: 'eth_getTransactionReceipt',
      params: [deposit.hash],
    })) as Record<string, unknown>
    expect(raw.depositNonce).toBe('0x0')
    expect(raw.depositReceiptVersion).toBe('0x1')
    const receipts = await publicClient.request({ method: 'eth_getBlockReceipts' as never, params: ['0x1'] as never })
    expect((receipts as unknown[]).length).toBe(2)
    expect((await publicClient.getBlock({ blockTag: 'latest' })).hash).toBe(block.hash)
    expect((await publicClient.getBlock({ blockTag: 'safe' })).number).toBe(0n)
  })

  test('contract deploy, eth_call, logs, estimateGas, revert with code 3 and a filter', async () => {
    const { publicClient, wallet } = clients()
    const filter = await publicClient.createBlockFilter()
    const deployHash = await wallet.sendTransaction({ data: LOGGER_INITCODE })
    await produceBlock(node)
    const deployed = await publicClient.waitForTransactionReceipt({ hash: deployHash, pollingInterval: 50 })
    const logger = deployed.contractAddress!
    expect(await publicClient.getCode({ address: logger })).toMatch(/^0x60003580/)
    const word = padHex(numberToHex(0xabcdef), { size: 32 })
    const gas = await publicClient.estimateGas({ account: TEST_ADDRESSES[0]!, to: logger, data: word })
    expect(gas).toBeGreaterThan(21_000n + 20_000n)
    const callHash = await wallet.sendTransaction({ to: logger, data: word, gas })
    await produceBlock(node)
    const called = await publicClient.waitForTransactionReceipt({ hash: callHash, pollingInterval: 50 })
    expect(called.status).toBe('success')
    expect(await publicClient.getStorageAt({ address: logger, slot: '0x0' })).toBe(word)
    const logs = await publicClient.getLogs({ address: logger, fromBlock: 0n, toBlock: 'latest' })
    expect(logs).toHaveLength(1)
    expect(logs[0]!.topics[0]).toBe(word)
    expect(logs[0]!.transactionHash).toBe(callHash)
    const changes = await publicClient.getFilterChanges({ filter })
    expect(changes).toHaveLength(2)
    // a zero word reverts: code 3 with (empty) data
    const reply = await fetch(node.rpc.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'eth_call',
        params: [{ to: logger, data: padHex('0x0', { size: 32 }) }, 'latest'],
      }),
    }).then((r) => r.json() as Promise<{ error?: unknown }>)
    expect(reply.error).toEqual({ code: 3, message: 'execution reverted', data: '0x' })
    const fees = await publicClient.estimateFeesPerGas()
    expect(fees.maxFeePerGas).toBeGreaterThan(0n)
    const history = await publicClient.getFeeHistory({ blockCount: 2, rewardPercentiles: [50] })
    expect(history.baseFeePerGas).toHaveLength(3)
  })

  test('eth_getProof at a past block verifies against that block stateRoot (account and storage)', async () => {
    const { publicClient, wallet } = clients()
    const deployHash = await wallet.sendTransaction({ data: LOGGER_INITCODE, maxFeePerGas: parseGwei('5') })
    await produceBlock(node)
    const logger = (await publicClient.waitForTransactionReceipt({ hash: deployHash, pollingInterval: 50 }))
      .contractAddress!
    const first = padHex('0x1234', { size: 32 })
    const setHash = await wallet.sendTransaction({ to: logger, data: first, gas: 100_000n })
    await produceBlock(node)
    expect((await publicClient.getTransactionReceipt({ hash: setHash })).status).toBe('success')
    const past = await publicClient.getBlockNumber()
    // change the slot afterwards: the past proof must still show the old value
    await wallet.sendTransaction({ to: logger, data: padHex('0x5678', { size: 32 }), gas: 100_000n })
    await produceBlock(node)
    const block = await publicClient.getBlock({ blockNumber: past })
    const proof = await publicClient.getProof({ address: logger, storageKeys: ['0x0'], blockNumber: past })
    const account = verifyProof(block.stateRoot, logger, proof.accountProof)
    expect(account).not.toBeNull()
    const [nonce, balance, storageRoot, codeHash] = fromRlp(account!) as Hex[]
    expect(storageRoot).toBe(proof.storageHash)
    expect(codeHash).toBe(proof.codeHash)
    expect(BigInt(nonce === '0x' ? 0 : nonce!)).toBe(BigInt(proof.nonce))
    expect(BigInt(balance === '0x' ? 0 : balance!)).toBe(proof.balance)
    const slot = verifyProof(proof.storageHash, padHex('0x0', { size: 32 }), proof.storageProof[0]!.proof)
    expect(BigInt(fromRlp(slot!) as Hex)).toBe(0x1234n)
    expect(proof.storageProof[0]!.value).toBe(0x1234n)
    const latest = await publicClient.getProof({ address: logger, storageKeys: ['0x0'] })
    expect(latest.storageProof[0]!.value).toBe(0x5678n)
  })

  test('eth_subscribe newHeads over WebSocket delivers the next block', async () => {
    const ws = createPublicClient({ chain, transport: webSocket(node.rpc.wsUrl) })
    const heads: bigint[] = []
    const got = new Promise<void>((resolve) => {
      const unwatch = ws.watchBlocks({
        onBlock: (block) => {
          heads.push(block.number)
          unwatch()
          resolve()
        },
      })
    })
    // the subscription is registered when eth_subscribe replies; wait for that by a round trip on the same socket
    await ws.getBlockNumber()
    await new Promise((resolve) => setTimeout(resolve, 100))
    const number = await produceBlock(node)
    await got
    expect(heads).toEqual([number])
    await (await ws.transport.getRpcClient()).close()
  })
})
