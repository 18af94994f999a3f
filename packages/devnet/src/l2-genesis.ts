import { join } from 'node:path'
import type { AltDaConfig, RollupConfig } from '@opl/protocol'
import {
  buildL2Genesis,
  buildRollupConfig,
  type GenesisArtifacts,
  type L2Genesis,
  type L2GenesisConfigInput,
} from '@opl/protocol'
import { keccak256 } from '@opl/service-kit'
import { type Address, parseEther } from 'viem'
import { devAccount } from './accounts.js'
import { readGenesisArtifacts } from './bedrock-artifacts.js'
import { REPO_ROOT } from './deploy/artifacts.js'
import type { L1Deployment } from './deploy/deploy.js'

/** L2Genesis.s.sol funds the first 30 accounts of the test mnemonic with 10,000 ETH each when `fundDevAccounts`. */
export const DEV_ACCOUNT_COUNT = 30
export const DEV_ACCOUNT_BALANCE = parseEther('10000')

export function devAccountAddresses(count = DEV_ACCOUNT_COUNT): Address[] {
  return Array.from({ length: count }, (_, i) => devAccount(i).address)
}

export type DevnetGenesisOptions = {
  fundDevAccounts?: boolean
  /** Receives the fee vaults' balances (default: the L1 system owner). */
  feeRecipient?: Address
  seqWindowSize?: number
  channelTimeout?: number
  altDa?: AltDaConfig
  artifacts?: GenesisArtifacts
}

/** The L2 genesis config that matches an L1 deployment: its proxies, genesis time, chain ids and owners. */
export function genesisConfigFor(deployment: L1Deployment, options: DevnetGenesisOptions = {}): L2GenesisConfigInput {
  const recipient = options.feeRecipient ?? deployment.roles.systemOwner
  const vault = { recipient }
  return {
    l1ChainId: deployment.l1ChainId,
    l2ChainId: deployment.l2ChainId,
    timestamp: deployment.l2GenesisTime,
    gasLimit: deployment.systemConfig.gasLimit,
    l1: {
      L1CrossDomainMessenger: deployment.contracts.L1CrossDomainMessenger,
      L1StandardBridge: deployment.contracts.L1StandardBridge,
      L1ERC721Bridge: deployment.contracts.L1ERC721Bridge,
    },
    proxyAdminOwner: deployment.roles.systemOwner,
    feeVaults: { sequencer: vault, base: vault, l1: vault },
    fundedAccounts:
      options.fundDevAccounts === false
        ? []
        : devAccountAddresses().map((address) => ({ address, balance: DEV_ACCOUNT_BALANCE })),
  }
}

export type DevnetGenesis = { genesis: L2Genesis; rollup: RollupConfig; buildMs: number }

/** genesis.json and rollup.json contents for an L1 deployment. */
export async function buildDevnetGenesis(
  deployment: L1Deployment,
  options: DevnetGenesisOptions = {},
): Promise<DevnetGenesis> {
  const started = performance.now()
  const genesis = await buildL2Genesis(
    genesisConfigFor(deployment, options),
    options.artifacts ?? readGenesisArtifacts(join(REPO_ROOT, 'node_modules', '.cache', 'opl-devnet')),
    // ~10,000 keys and trie nodes: the native hash is ~0.2 s less of every fresh start than viem's JS keccak
    { keccak: keccak256 },
  )
  const rollup = buildRollupConfig({
    genesis,
    l1Genesis: deployment.l1Genesis,
    systemConfig: deployment.systemConfig,
    blockTime: deployment.config.l2BlockTime,
    batchInboxAddress: deployment.roles.batchInbox,
    depositContractAddress: deployment.contracts.OptimismPortal,
    l1SystemConfigAddress: deployment.contracts.SystemConfig,
    seqWindowSize: options.seqWindowSize,
    channelTimeout: options.channelTimeout,
    altDa: options.altDa,
  })
  return { genesis, rollup, buildMs: Math.round(performance.now() - started) }
}
