import { createPublicClient, createWalletClient, http, parseEther } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { devAccounts } from './accounts.js'
import { type Anvil, startAnvil } from './anvil.js'

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
