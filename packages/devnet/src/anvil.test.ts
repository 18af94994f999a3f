import { createPublicClient, createWalletClient, http, parseEther } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { devAccounts } from './accounts.js'
import { type Anvil, startAnvil, withAutomine } from './anvil.js'
import { freePort } from './ports.js'

let anvil: Anvil
const port = 20_000 + (process.pid % 10_000)

beforeAll(async () => {
  anvil = await startAnvil({ port, chainId: 900 })
})
afterAll(() => anvil?.stop())

test('anvil from npm serves the configured chain id on loopback', async () => {
  const client = createPublicClient({ transport: http(anvil.rpc) })
  expect(anvil.rpc).toBe(`http://127.0.0.1:${port}`)
  expect(await client.getChainId()).toBe(900)
})

test('dev accounts are the funded anvil mnemonic accounts and can transfer', async () => {
  const accounts = devAccounts()
  expect(accounts.deployer.address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')
  const client = createPublicClient({ transport: http(anvil.rpc) })
  const wallet = createWalletClient({
    account: privateKeyToAccount(accounts.users[0]!.privateKey),
    transport: http(anvil.rpc),
  })
  const to = '0x000000000000000000000000000000000000bEEF'
  const hash = await wallet.sendTransaction({ to, value: parseEther('1.5'), chain: null })
  await client.waitForTransactionReceipt({ hash, pollingInterval: 50 })
  expect(await client.getBalance({ address: to })).toBe(parseEther('1.5'))
})

test('withAutomine resumes interval mining only once the clock has caught up with the blocks mined after the L2 origin', async () => {
  const l1 = await startAnvil({ port: await freePort(), chainId: 900, blockTime: 1 })
  try {
    const client = createPublicClient({ transport: http(l1.rpc), pollingInterval: 50 })
    const wallet = createWalletClient({
      account: privateKeyToAccount(devAccounts().users[0]!.privateKey),
      transport: http(l1.rpc),
    })
    const origin = await withAutomine(
      l1,
      1,
      async () => {
        const blocks = []
        for (let i = 0; i < 4; i++) {
          const hash = await wallet.sendTransaction({ to: wallet.account.address, value: 1n, chain: null })
          blocks.push(await client.waitForTransactionReceipt({ hash }))
        }
        const first = await client.getBlock({ blockNumber: blocks[0]!.blockNumber })
        return { number: Number(first.number), timestamp: Number(first.timestamp) }
      },
      (first) => first,
    )
    const head = Number(await client.getBlockNumber({ cacheTime: 0 }))
    expect(head).toBeGreaterThanOrEqual(origin.number + 3)
    // 4 blocks within about a second: an L2 stepping one origin per 1 s block reaches the head `head - origin` s after
    // the origin's time; the next L1 block must not come before that.
    let next: Awaited<ReturnType<typeof client.getBlock>> | undefined
    for (let i = 0; i < 200 && !next; i++) {
      next = await client.getBlock({ blockNumber: BigInt(head + 1) }).catch(() => undefined)
      if (!next) await new Promise((r) => setTimeout(r, 100))
    }
    expect(Number(next!.timestamp)).toBeGreaterThanOrEqual(origin.timestamp + (head - origin.number))
  } finally {
    await l1.stop()
  }
})
