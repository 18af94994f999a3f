/**
 * Derivation replacing a sequencing node's own unsafe blocks: opl-node sequencing on anvil with a sequencing window of
 * 12 L1 blocks and no batcher. Once the window of a block's epoch passes without a batch, the node's derivation
 * derives the deposit-only block op-node would (forced inclusion) and the store drops the sequenced block for it —
 * with the sequencer running: it is paused for the write and continues on the new head. The user tx of the dropped
 * block goes back to the pool and is sequenced again, once. (Without a batcher every L1 block forces the next
 * deposit-only block and drops the unsafe blocks above it: the test looks at the chain between two such rewinds.)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Address, createPublicClient, createWalletClient, defineChain, type Hex, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { devAccounts } from '../packages/devnet/src/accounts.js'
import { type L1WithGenesis, startL1WithGenesis } from '../packages/devnet/src/testing.js'
import type { OplNode } from '../packages/node/src/node.js'
import { startSequencingNode, until } from './node-harness.js'

const dir = mkdtempSync(join(tmpdir(), 'opl-sequencer-reorg-'))
const accounts = devAccounts()
const payer = privateKeyToAccount(accounts.users[1]!.privateKey)
const RECIPIENT: Address = '0x000000000000000000000000000000000000d3b1'

let chain: L1WithGenesis
let node: OplNode

beforeAll(async () => {
  chain = await startL1WithGenesis({ dir, l1BlockTime: 1, l2BlockTime: 1, genesis: { seqWindowSize: 12 } })
  node = await startSequencingNode(chain, join(dir, 'l2'), {
    config: { logLevel: (process.env.OPL_TEST_LOG as 'warn') ?? 'silent' },
  })
}, 120_000)

afterAll(async () => {
  await node?.stop()
  await chain?.anvil.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('derivation on a sequencing node', () => {
  test('unsafe blocks past the sequencing window are replaced by the derived deposit-only blocks while the sequencer runs; the dropped tx is sequenced again, once', async () => {
    const l2Chain = defineChain({
      id: chain.rollup.l2ChainId,
      name: 'OpenLedger L2 (reorg test)',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [node.rpc.url] } },
    })
    const l2 = createPublicClient({ chain: l2Chain, transport: http(node.rpc.url) })
    const rewinds: { to: bigint; dropped: Hex[] }[] = []
    node.store.onRewind((head, dropped) =>
      rewinds.push({ to: head.header.number, dropped: dropped.map((b) => b.hash) }),
    )

    const hash = await createWalletClient({
      account: payer,
      chain: l2Chain,
      transport: http(node.rpc.url),
    }).sendTransaction({
      to: RECIPIENT,
      value: 1234n,
      nonce: 0,
      gas: 21_000n,
      maxFeePerGas: 10n ** 10n,
      maxPriorityFeePerGas: 1n,
    })
    const first = await l2.waitForTransactionReceipt({ hash, pollingInterval: 100 })

    // no batch within 12 L1 blocks: derivation forces the deposit-only block in place of the sequenced one
    const rewind = await until('the block with the tx to be replaced', async () =>
      rewinds.find((r) => r.dropped.includes(first.blockHash)),
    )
    expect(rewind.to).toBeLessThan(first.blockNumber)
    const replaced = await until('the safe head past the replaced block', async () => {
      const safe = await l2.getBlock({ blockTag: 'safe' })
      return safe.number >= first.blockNumber ? l2.getBlock({ blockNumber: first.blockNumber }) : undefined
    })
    expect(replaced.hash).not.toBe(first.blockHash)
    expect(replaced.transactions).toHaveLength(1) // the L1-info deposit only
    // paused only while a derived block is written
    await until('the sequencer running', async () => (node.sequencer?.active() ? true : undefined))
    const before = await l2.getBlockNumber({ cacheTime: 0 })
    await until('the sequencer to build on the new head', async () =>
      (await l2.getBlockNumber({ cacheTime: 0 })) > before + 2n ? true : undefined,
    )

    // the next block builds on the derived one, and the dropped tx, back in the pool, is sequenced again — once
    const next = await l2.getBlock({ blockNumber: first.blockNumber + 1n })
    expect(next.parentHash).toBe(replaced.hash)
    const again = await until('the tx to be sequenced again', async () => {
      const receipt = await l2.getTransactionReceipt({ hash })
      const at = { blockNumber: receipt.blockNumber }
      const nonce = await l2.getTransactionCount({ address: payer.address, ...at })
      const balance = await l2.getBalance({ address: RECIPIENT, ...at })
      // a later forced block may replace this one at any time: keep the reads only if the block is still canonical
      const block = await l2.getBlock(at)
      return block.hash === receipt.blockHash ? { receipt, nonce, balance } : undefined
    })
    expect(again.receipt.blockNumber).toBeGreaterThan(first.blockNumber)
    expect(again.receipt.status).toBe('success')
    expect(again.nonce).toBe(1)
    expect(again.balance).toBe(1234n)
  }, 240_000)
})
