import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { RollupConfig } from '@opl/protocol'
import { devAccounts } from './accounts.js'
import { type Anvil, startAnvil } from './anvil.js'
import { deployL1, type L1Deployment } from './deploy/deploy.js'
import { GENESIS_FILE, ROLLUP_FILE, writeGenesisFiles } from './devnet-files.js'
import { buildDevnetGenesis, type DevnetGenesisOptions } from './l2-genesis.js'
import { freePort } from './ports.js'

export type L1WithGenesis = {
  anvil: Anvil
  deployment: L1Deployment
  rollup: RollupConfig
  genesisFile: string
  rollupFile: string
}

/**
 * For tests: anvil on a random port (a block every `l1BlockTime` s), the bedrock contracts and OPEN deployed on it,
 * and genesis.json + rollup.json for the L2 written into `dir` — what a node needs to sequence on a real L1.
 */
export async function startL1WithGenesis(options: {
  dir: string
  l1ChainId?: number
  l2ChainId?: number
  l1BlockTime?: number
  l2BlockTime?: number
  /** rollup.json / genesis options (e.g. `altDa` for batches on the DA server) */
  genesis?: Omit<DevnetGenesisOptions, 'artifacts'>
}): Promise<L1WithGenesis> {
  const accounts = devAccounts()
  const l1ChainId = options.l1ChainId ?? 900
  const anvil = await startAnvil({ port: await freePort(), chainId: l1ChainId, blockTime: options.l1BlockTime ?? 1 })
  try {
    const deployment = await deployL1({
      l1Rpc: anvil.rpc,
      l1ChainId,
      deployerKey: accounts.deployer.privateKey,
      l2ChainId: options.l2ChainId ?? 901,
      batcher: accounts.batcher.address,
      proposer: accounts.proposer.address,
      l2BlockTime: options.l2BlockTime ?? 1,
    })
    const built = await buildDevnetGenesis(deployment, options.genesis)
    mkdirSync(options.dir, { recursive: true })
    writeGenesisFiles(options.dir, built.genesis.genesis, built.rollup)
    return {
      anvil,
      deployment,
      rollup: built.rollup,
      genesisFile: join(options.dir, GENESIS_FILE),
      rollupFile: join(options.dir, ROLLUP_FILE),
    }
  } catch (error) {
    await anvil.stop()
    throw error
  }
}
