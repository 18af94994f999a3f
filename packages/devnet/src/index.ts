export { DEV_MNEMONIC, type DevAccount, devAccount, devAccounts } from './accounts.js'
export { type Anvil, type AnvilOptions, startAnvil } from './anvil.js'
export { artifactSemver, readBedrockArtifact, readGenesisArtifacts } from './bedrock-artifacts.js'
export { readDeployArtifacts } from './deploy/artifacts.js'
export { type DeployConfig, DeployConfigError, type DeployConfigInput, parseDeployConfig } from './deploy/config.js'
export {
  type DeployOptions,
  type DeployProgress,
  deployL1,
  type L1BlockRef,
  type L1Deployment,
} from './deploy/deploy.js'
export { DeployError } from './deploy/errors.js'
export { planDeployment } from './deploy/plan.js'
export { DEVNET_FILE, type DevnetJson, GENESIS_FILE, ROLLUP_FILE } from './devnet-files.js'
export { buildDevnetGenesis, type DevnetGenesis, devAccountAddresses, genesisConfigFor } from './l2-genesis.js'
export { freePort } from './ports.js'
