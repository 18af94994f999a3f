import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { RollupConfig } from '@opl/protocol'
import { parseAbi } from 'viem'
import { devAccounts } from './accounts.js'
import { type Anvil, startAnvil } from './anvil.js'
import { deployL1, type L1Deployment } from './deploy/deploy.js'
import { GENESIS_FILE, ROLLUP_FILE, writeGenesisFiles } from './devnet-files.js'
import { buildDevnetGenesis, type DevnetGenesis, type DevnetGenesisOptions } from './l2-genesis.js'
import { freePort } from './ports.js'

export type L1Rollup = {
  anvil: Anvil
  deployment: L1Deployment
  /** genesis.json and rollup.json contents for the L2 */
  devnet: DevnetGenesis
  rollup: RollupConfig
}

export type L1RollupOptions = {
  l1ChainId?: number
  l2ChainId?: number
  /** seconds between L1 blocks; automine when absent */
  l1BlockTime?: number
  l2BlockTime?: number
  /** rollup.json / genesis options (e.g. `altDa` for batches on the DA server) */
  genesis?: Omit<DevnetGenesisOptions, 'artifacts'>
}

/**
 * For tests: anvil on a random port, the bedrock contracts and OPEN deployed on it, and the L2 genesis built from that
 * deployment — the real L1 side a sequencer or a verifier runs against.
 */
export async function startL1Rollup(options: L1RollupOptions = {}): Promise<L1Rollup> {
  const accounts = devAccounts()
  const l1ChainId = options.l1ChainId ?? 900
  const anvil = await startAnvil({ port: await freePort(), chainId: l1ChainId, blockTime: options.l1BlockTime })
  try {
    const deployment = await deployL1({
      l1Rpc: anvil.rpc,
      l1ChainId,
      deployerKey: accounts.deployer.privateKey,
      l2ChainId: options.l2ChainId ?? 901,
      batcher: accounts.batcher.address,
      proposer: accounts.proposer.address,
      l2BlockTime: options.l2BlockTime,
    })
    const devnet = await buildDevnetGenesis(deployment, options.genesis)
    return { anvil, deployment, devnet, rollup: devnet.rollup }
  } catch (error) {
    await anvil.stop()
    throw error
  }
}

export type L1WithGenesis = L1Rollup & { genesisFile: string; rollupFile: string }

/**
 * `startL1Rollup` with a block every `l1BlockTime` s (default 1) and L2 blocks of 1 s, plus genesis.json + rollup.json
 * written into `dir` — what a node process needs to sequence on a real L1.
 */
export async function startL1WithGenesis(options: L1RollupOptions & { dir: string }): Promise<L1WithGenesis> {
  const started = await startL1Rollup({
    ...options,
    l1BlockTime: options.l1BlockTime ?? 1,
    l2BlockTime: options.l2BlockTime ?? 1,
  })
  try {
    mkdirSync(options.dir, { recursive: true })
    writeGenesisFiles(options.dir, started.devnet.genesis.genesis, started.rollup)
  } catch (error) {
    await started.anvil.stop()
    throw error
  }
  return {
    ...started,
    genesisFile: join(options.dir, GENESIS_FILE),
    rollupFile: join(options.dir, ROLLUP_FILE),
  }
}

/** `OptimismPortal.depositTransaction`, as tests call it on L1. */
export const portalDepositAbi = parseAbi([
  'function depositTransaction(address _to, uint256 _value, uint64 _gasLimit, bool _isCreation, bytes _data) payable',
])
