import type { Hex } from 'viem'
import { GenesisError } from './errors.js'
import type { ImmutableReferences } from './immutables.js'
import type { StorageLayout } from './storage-layout.js'

/** The contracts-bedrock artifacts the L2 genesis is built from (forge artifact names). */
export const GENESIS_ARTIFACT_NAMES = [
  'Proxy',
  'ProxyAdmin',
  'LegacyMessagePasser',
  'DeployerWhitelist',
  'WETH',
  'L2CrossDomainMessenger',
  'GasPriceOracle',
  'L2StandardBridge',
  'SequencerFeeVault',
  'OptimismMintableERC20Factory',
  'L1BlockNumber',
  'L2ERC721Bridge',
  'L1Block',
  'L2ToL1MessagePasser',
  'OptimismMintableERC721Factory',
  'BaseFeeVault',
  'L1FeeVault',
  'SchemaRegistry',
  'EAS',
] as const

export type GenesisArtifactName = (typeof GENESIS_ARTIFACT_NAMES)[number]

/** The parts of a forge artifact the genesis uses. The caller reads the files; this package does no I/O. */
export type ContractArtifact = {
  deployedBytecode: Hex
  immutableReferences?: ImmutableReferences
  /** AST id → variable name of every immutable in `immutableReferences` (from the sources' ASTs). */
  immutableNames?: Record<string, string>
  storageLayout: StorageLayout
}

export type GenesisArtifacts = Record<GenesisArtifactName, ContractArtifact>

export function requireArtifact(artifacts: Partial<GenesisArtifacts>, name: GenesisArtifactName): ContractArtifact {
  const artifact = artifacts[name]
  if (!artifact?.deployedBytecode || artifact.deployedBytecode === '0x')
    throw new GenesisError(`artifact ${name} is missing or has no deployed bytecode`, { artifact: name })
  return artifact
}
