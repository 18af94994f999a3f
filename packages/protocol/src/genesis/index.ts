export { type Alloc, buildL2Alloc, type GenesisAccount } from './alloc.js'
export {
  type ContractArtifact,
  GENESIS_ARTIFACT_NAMES,
  type GenesisArtifactName,
  type GenesisArtifacts,
} from './artifacts.js'
export { type L2ChainConfig, l2ChainConfig } from './chain-config.js'
export { type L2GenesisConfig, type L2GenesisConfigInput, L2GenesisConfigSchema, WithdrawalNetwork } from './config.js'
export { GenesisError } from './errors.js'
export {
  buildL2Genesis,
  type GethGenesis,
  type GethGenesisAccount,
  type L2Genesis,
  parseL2GenesisConfig,
  toGethAlloc,
} from './genesis.js'
export { type BlockHeader, blockHash, EMPTY_UNCLES_HASH, genesisHeader } from './header.js'
export { type ImmutableReferences, patchImmutables } from './immutables.js'
export {
  codeNamespaceAddress,
  EIP1967_ADMIN_SLOT,
  EIP1967_IMPLEMENTATION_SLOT,
  NOT_PROXIED,
  PREDEPLOY_COUNT,
  type PredeployName,
  predeployAddress,
  predeploys,
} from './predeploys.js'
export * from './preinstalls.js'
export { buildRollupConfig, type RollupConfigInput } from './rollup-config.js'
export { EMPTY_CODE_HASH, EMPTY_TRIE_ROOT, encodeAccount, type Keccak, stateRoot, storageRoot } from './state-root.js'
export { type Storage, type StorageLayout, writeSlot, writeVariable } from './storage-layout.js'
