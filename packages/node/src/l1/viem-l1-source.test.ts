import { createPublicClient, createWalletClient, http, parseEther, zeroHash } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { anvil as anvilChain } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { devAccounts } from '../../../devnet/src/accounts.js'
import { type Anvil, startAnvil } from '../../../devnet/src/anvil.js'
import { freePort } from '../../../devnet/src/ports.js'
import { ConfDepthL1Source } from './conf-depth.js'
import { L1InconsistentError, L1UnavailableError } from './errors.js'
import { L1Tracker } from './l1-tracker.js'
import { ViemL1Source } from './viem-l1-source.js'

let anvil: Anvil
let source: ViemL1Source

beforeAll(async () => {
  anvil = await startAnvil({ port: await freePort(), chainId: 900 })
  source = new ViemL1Source(createPublicClient({ transport: http(anvil.rpc, { retryCount: 0 }) }))
  const wallet = createWalletClient({
    account: privateKeyToAccount(devAccounts().users[0]!.privateKey),
    chain: { ...anvilChain, id: 900 },
    transport: http(anvil.rpc),
  })
  const client = createPublicClient({ transport: http(anvil.rpc) })
  for (let i = 0; i < 3; i++) {
    const hash = await wallet.sendTransaction({ to: devAccounts().users[1]!.address, value: parseEther('1') })
    await client.waitForTransactionReceipt({ hash })
  }
})
afterAll(() => anvil?.stop())

describe('ViemL1Source on anvil', () => {
  test('reads blocks by number, hash and tag with the fields the L1-info tx needs', async () => {
    const latest = (await source.blockByTag('latest'))!
    expect(latest.number).toBe(3n)
    const byNumber = (await source.blockByNumber(2n))!
    const byHash = (await source.blockByHash(byNumber.hash))!
    expect(byHash).toEqual(byNumber)
    expect(byNumber.parentHash).toBe((await source.blockByNumber(1n))!.hash)
    expect(byNumber.transactionCount).toBe(1)
    expect(byNumber.mixHash).toMatch(/^0x[0-9a-f]{64}$/)
    expect(byNumber.excessBlobGas).toBe(0n) // anvil runs a post-Cancun L1
    expect(byNumber.parentBeaconBlockRoot).toMatch(/^0x[0-9a-f]{64}$/)
  })

  test('unknown blocks are undefined, not errors', async () => {
    expect(await source.blockByNumber(1_000n)).toBeUndefined()
    expect(await source.blockByHash(`0x${'12'.repeat(32)}`)).toBeUndefined()
  })

  test('receipts: all of the block, checked against the block', async () => {
    const block = (await source.blockByNumber(3n))!
    const receipts = await source.receipts(block)
    expect(receipts.length).toBe(1)
    expect(receipts[0]!.status).toBe('success')
    await expect(source.receipts({ ...block, transactionCount: 2 })).rejects.toThrow(L1InconsistentError)
    await expect(source.receipts({ ...block, hash: zeroHash })).rejects.toThrow(L1InconsistentError)
  })

  test('confirmation depth hides the newest blocks by number only', async () => {
    const head = (await source.blockByTag('latest'))!
    const deep = new ConfDepthL1Source(source, 2n, () => head)
    expect((await deep.blockByNumber(1n))?.number).toBe(1n)
    expect(await deep.blockByNumber(2n)).toBeUndefined()
    const hidden = (await source.blockByNumber(3n))!
    expect((await deep.blockByHash(hidden.hash))?.number).toBe(3n)
  })

  test('the tracker reports head, safe and finalized', async () => {
    const tracker = new L1Tracker(source, { intervalMs: 1_000 })
    await tracker.poll()
    expect(tracker.status.head?.number).toBe(3n)
    expect(tracker.status.finalized).toBeDefined()
  })

  test('an unreachable L1 is a temporary L1UnavailableError', async () => {
    const down = new ViemL1Source(
      createPublicClient({ transport: http(`http://127.0.0.1:${await freePort()}`, { retryCount: 0 }) }),
    )
    await expect(down.blockByNumber(1n)).rejects.toThrow(L1UnavailableError)
    await expect(down.receipts({ hash: zeroHash, number: 1n, parentHash: zeroHash, timestamp: 0n })).rejects.toThrow(
      L1UnavailableError,
    )
    const tracker = new L1Tracker(down, { intervalMs: 1_000 })
    await expect(tracker.poll()).rejects.toThrow(L1UnavailableError)
    expect(tracker.head).toBeUndefined()
  })
})
