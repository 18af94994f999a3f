import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  type GethGenesis,
  parseRollupConfig,
  predeploys,
  type RollupConfig,
  serializeRollupConfig,
} from '@opl/protocol'
import type { Address } from 'viem'
import type { devAccounts } from './accounts.js'
import type { L1Deployment } from './deploy/deploy.js'

export const GENESIS_FILE = 'genesis.json'
export const ROLLUP_FILE = 'rollup.json'
export const DEPLOYMENT_FILE = 'deployment.json'
export const DEVNET_FILE = 'devnet.json'

/** devnet.json (DESIGN.md "Interfaces others rely on"); services add their endpoints as they come up. */
export type DevnetJson = {
  l1: { rpc: string; chainId: number }
  l2: { chainId: number; rpc?: string; ws?: string; verifierRpc?: string }
  rollupRpc?: string
  daServer?: string
  relayerApi?: string
  attributionApi?: string
  l1Genesis: L1Deployment['l1Genesis']
  l2Genesis: { hash: string; time: number }
  contracts: { l1: Record<string, Address>; l2: Record<string, Address> }
  accounts: ReturnType<typeof devAccounts>
}

const bigintJson = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)

/** Writes through a temporary file so a reader never sees half a file. */
function writeAtomic(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text)
  renameSync(`${file}.tmp`, file)
}

export function writeJson(file: string, value: unknown): void {
  writeAtomic(file, `${JSON.stringify(value, bigintJson, 2)}\n`)
}

export function writeGenesisFiles(dataDir: string, genesis: GethGenesis, rollup: RollupConfig): void {
  writeJson(join(dataDir, GENESIS_FILE), genesis)
  writeAtomic(join(dataDir, ROLLUP_FILE), serializeRollupConfig(rollup))
}

/** rollup.json from a previous run, if there is one and it parses. */
export function readRollupFile(dataDir: string): RollupConfig | undefined {
  const file = join(dataDir, ROLLUP_FILE)
  return existsSync(file) ? parseRollupConfig(readFileSync(file, 'utf8')) : undefined
}

/** devnet.json from a previous run, if there is one and it parses. */
export function readDevnetFile(dataDir: string): DevnetJson | undefined {
  const file = join(dataDir, DEVNET_FILE)
  try {
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DevnetJson) : undefined
  } catch {
    return undefined
  }
}

/** The addresses users and services need: L1 proxies (under their contract names), OPEN, and the L2 predeploys. */
export function devnetContracts(deployment: L1Deployment): DevnetJson['contracts'] {
  return {
    l1: { ...deployment.contracts, BatchInbox: deployment.roles.batchInbox },
    l2: {
      L2CrossDomainMessenger: predeploys.L2CrossDomainMessenger,
      L2StandardBridge: predeploys.L2StandardBridge,
      L2ToL1MessagePasser: predeploys.L2ToL1MessagePasser,
      OptimismMintableERC20Factory: predeploys.OptimismMintableERC20Factory,
      L1Block: predeploys.L1Block,
      GasPriceOracle: predeploys.GasPriceOracle,
      SequencerFeeVault: predeploys.SequencerFeeVault,
      BaseFeeVault: predeploys.BaseFeeVault,
      L1FeeVault: predeploys.L1FeeVault,
      ProxyAdmin: predeploys.ProxyAdmin,
      WETH: predeploys.WETH,
    },
  }
}
