import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPublicClient, http, type PublicClient } from 'viem'
// Test support only: the devnet package builds the real L1 deployment and L2 genesis these tests run on.
import { devAccounts } from '../../../devnet/src/accounts.js'
import { type Anvil, startAnvil } from '../../../devnet/src/anvil.js'
import { deployL1, type L1Deployment } from '../../../devnet/src/deploy/deploy.js'
import { buildDevnetGenesis } from '../../../devnet/src/l2-genesis.js'
import { freePort } from '../../../devnet/src/ports.js'
import { type ElRollupNode, startElRollupNode } from './el-rollup-node.js'

export const L1_CHAIN_ID = 900
export const L2_CHAIN_ID = 901

export type WithdrawalDevnet = {
  l1Anvil: Anvil
  l2Anvil: Anvil
  l1: PublicClient
  l2: PublicClient
  deployment: L1Deployment
  rollupNode: ElRollupNode
  accounts: ReturnType<typeof devAccounts>
  stop(): Promise<void>
}

/**
 * L1: anvil with the bedrock 0.17.3 contracts deployed unmodified (L2OutputOracle path), then 1 s interval mining
 * so L1 time moves as on the devnet. L2: anvil started from the real L2 genesis (`--init genesis.json`, Cancun =
 * Granite's EVM) — real predeploys, state roots and `eth_getProof` — with the EL rollup-node stand-in in front.
 */
export async function startWithdrawalDevnet(
  opts: { submissionInterval?: number; finalizationPeriodSeconds?: number } = {},
): Promise<WithdrawalDevnet> {
  const accounts = devAccounts()
  const dir = await mkdtemp(join(tmpdir(), 'opl-withdrawal-devnet-'))
  const l1Anvil = await startAnvil({ port: await freePort(), chainId: L1_CHAIN_ID })
  const l1 = createPublicClient({ transport: http(l1Anvil.rpc) })
  const deployment = await deployL1({
    l1Rpc: l1Anvil.rpc,
    l1ChainId: L1_CHAIN_ID,
    deployerKey: accounts.deployer.privateKey,
    l2ChainId: L2_CHAIN_ID,
    batcher: accounts.batcher.address,
    proposer: accounts.proposer.address,
    l2BlockTime: 1,
    submissionInterval: opts.submissionInterval ?? 4,
    finalizationPeriodSeconds: opts.finalizationPeriodSeconds ?? 2,
  })
  // Deploy on automine (fast), then blocks every second like the devnet's L1.
  await l1.request({ method: 'evm_setIntervalMining' as never, params: [1] as never })
  const { genesis } = await buildDevnetGenesis(deployment)
  const genesisFile = join(dir, 'genesis.json')
  await writeFile(genesisFile, JSON.stringify(genesis.genesis))
  const l2Anvil = await startAnvil({
    port: await freePort(),
    chainId: L2_CHAIN_ID,
    init: genesisFile,
    hardfork: 'cancun',
    args: ['--accounts', '0', '--no-create2'],
  })
  const l2 = createPublicClient({ transport: http(l2Anvil.rpc) })
  const rollupNode = await startElRollupNode({ l1Rpc: l1Anvil.rpc, l2Rpc: l2Anvil.rpc })
  return {
    l1Anvil,
    l2Anvil,
    l1,
    l2,
    deployment,
    rollupNode,
    accounts,
    stop: async () => {
      await rollupNode.close()
      await Promise.all([l1Anvil.stop(), l2Anvil.stop()])
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Mines `n` empty L2 blocks (anvil's `anvil_mine`). */
export async function mineL2(l2: PublicClient, n: number): Promise<void> {
  await l2.request({ method: 'anvil_mine' as never, params: [`0x${n.toString(16)}`] as never })
}
