/**
 * Real clients against the running node (sequencer on, over anvil with the bedrock contracts): ethers v6
 * JsonRpcProvider + Wallet (transfer, receipt, contract deploy and calls) and Hardhat 3 with a `type: "http"` network
 * pointing at the node (OPEN deployed with hardhat-viem through `network.connect()`, then called).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ContractFactory, type InterfaceAbi, JsonRpcProvider, parseEther, Wallet } from 'ethers'
import { createHardhatRuntimeEnvironment } from 'hardhat/hre'
import { type Address, erc20Abi, getAddress } from 'viem'
import { publicActionsL2 } from 'viem/op-stack'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import hardhatConfig from '../hardhat.config.js'
import { devAccount } from '../packages/devnet/src/accounts.js'
import { type L1WithGenesis, startL1WithGenesis } from '../packages/devnet/src/testing.js'
import type { OplNode } from '../packages/node/src/node.js'
import { startSequencingNode } from './node-harness.js'

const root = resolve(import.meta.dirname, '..')
const dir = mkdtempSync(join(tmpdir(), 'opl-node-clients-'))
const ethersUser = devAccount(15)
const hardhatUser = devAccount(16)
const OTHER: Address = '0x00000000000000000000000000000000000c11e7'

let chain: L1WithGenesis
let node: OplNode

beforeAll(async () => {
  chain = await startL1WithGenesis({ dir, l1BlockTime: 1, l2BlockTime: 1 })
  node = await startSequencingNode(chain, join(dir, 'l2'))
}, 120_000)

afterAll(async () => {
  await node?.stop()
  await chain?.anvil.stop()
  rmSync(dir, { recursive: true, force: true })
})

function openArtifact(): { abi: InterfaceAbi; bytecode: string } {
  const file = join(root, 'artifacts/contracts/token/OpenToken.sol/OpenToken.json')
  return JSON.parse(readFileSync(file, 'utf8'))
}

describe('ethers v6', () => {
  test('JsonRpcProvider + Wallet: transfer with receipt, OPEN deployed and called', async () => {
    const provider = new JsonRpcProvider(node.rpc.url, undefined, { staticNetwork: true, pollingInterval: 200 })
    try {
      const network = await provider.getNetwork()
      expect(network.chainId).toBe(BigInt(chain.rollup.l2ChainId))
      const wallet = new Wallet(ethersUser.privateKey, provider)

      const before = await provider.getBalance(OTHER)
      const tx = await wallet.sendTransaction({ to: OTHER, value: parseEther('1.25') })
      const receipt = await tx.wait()
      expect(receipt?.status).toBe(1)
      expect(receipt?.hash).toBe(tx.hash)
      expect((await provider.getBalance(OTHER)) - before).toBe(parseEther('1.25'))
      const block = await provider.getBlock(receipt!.blockNumber)
      expect(block?.hash).toBe(receipt?.blockHash)
      expect(block?.transactions).toContain(tx.hash)

      const { abi, bytecode } = openArtifact()
      const factory = new ContractFactory(abi, bytecode, wallet)
      const token = await factory.deploy(wallet.address)
      await token.waitForDeployment()
      const address = await token.getAddress()
      expect(await provider.getCode(address)).toMatch(/^0x60/)
      expect(await token.getFunction('symbol')()).toBe('OPEN')
      const supply = (await token.getFunction('totalSupply')()) as bigint
      expect(await token.getFunction('balanceOf')(wallet.address)).toBe(supply)
      const transfer = await token.getFunction('transfer')(OTHER, 1234n)
      expect((await transfer.wait())?.status).toBe(1)
      expect(await token.getFunction('balanceOf')(OTHER)).toBe(1234n)
      const logs = await provider.getLogs({ address, fromBlock: 0 })
      expect(logs.length).toBeGreaterThanOrEqual(2) // mint + transfer
    } finally {
      provider.destroy()
    }
  })
})

describe('Hardhat 3', () => {
  test('a type "http" network at the node: hardhat-viem deploys OPEN through network.connect() and calls it', async () => {
    const hre = await createHardhatRuntimeEnvironment(
      {
        ...hardhatConfig,
        networks: {
          ...hardhatConfig.networks,
          opl: {
            type: 'http',
            chainType: 'op',
            url: node.rpc.url,
            chainId: chain.rollup.l2ChainId,
            accounts: [hardhatUser.privateKey],
          },
        },
      },
      {},
      root,
    )
    const connection = await hre.network.connect({ network: 'opl' })
    const { viem } = connection
    const publicClient = await viem.getPublicClient({ pollingInterval: 200 })
    const [wallet] = await viem.getWalletClients({ pollingInterval: 200 })
    expect(getAddress(wallet!.account.address)).toBe(hardhatUser.address)
    expect(await publicClient.getChainId()).toBe(chain.rollup.l2ChainId)

    // The artifact's types are not generated for the typecheck: call OPEN through viem's ERC-20 ABI.
    const { address } = await viem.deployContract('OpenToken', [hardhatUser.address])
    const token = { address, abi: erc20Abi } as const
    expect(await publicClient.readContract({ ...token, functionName: 'symbol' })).toBe('OPEN')
    const supply = await publicClient.readContract({ ...token, functionName: 'totalSupply' })
    expect(supply).toBeGreaterThan(0n)
    const hash = await wallet!.writeContract({ ...token, functionName: 'transfer', args: [OTHER, 5_000n] })
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    expect(receipt.status).toBe('success')
    const balanceOf = (who: Address) => publicClient.readContract({ ...token, functionName: 'balanceOf', args: [who] })
    expect(await balanceOf(OTHER)).toBe(5_000n)
    expect(await balanceOf(hardhatUser.address)).toBe(supply - 5_000n)
    // the op-stack L1 fee estimate goes through the GasPriceOracle predeploy of the node's genesis
    const l2 = publicClient.extend(publicActionsL2())
    const l1Fee = await l2.estimateL1Fee({ account: hardhatUser.address, to: OTHER, value: 1n, chain: null })
    expect(l1Fee).toBeGreaterThan(0n)
    await connection.close()
  })
})
