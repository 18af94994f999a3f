import { type Abi, type Address, encodeDeployData, encodeFunctionData, type Hex, pad } from 'viem'
import type { BedrockArtifact } from '../bedrock-artifacts.js'
import { type DeployConfig, defaultBatchInbox } from './config.js'
import { create2Address, create2Calldata, create2Salt } from './create2.js'

/** The proxied L1 contracts, in the order the reference `Deploy.s.sol` initializes them. */
export const PROXIED_L1_CONTRACTS = [
  'SuperchainConfig',
  'OptimismPortal',
  'SystemConfig',
  'L1StandardBridge',
  'L1ERC721Bridge',
  'OptimismMintableERC20Factory',
  'L1CrossDomainMessenger',
  'L2OutputOracle',
] as const

export type ProxiedL1Contract = (typeof PROXIED_L1_CONTRACTS)[number]

/** Constants.ETHER: SystemConfig's marker for "ETH is the gas token". */
export const ETHER: Address = '0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE'

/** Constants.DEFAULT_RESOURCE_CONFIG (contracts-bedrock 0.17.3). */
export const DEFAULT_RESOURCE_CONFIG = {
  maxResourceLimit: 20_000_000,
  elasticityMultiplier: 10,
  baseFeeMaxChangeDenominator: 8,
  minimumBaseFee: 1_000_000_000,
  systemTxMaxGas: 1_000_000,
  maximumBaseFee: 2n ** 128n - 1n,
} as const

export type PlannedContract = {
  /** `ProxyAdmin`, `OPEN`, `<Name>` for an implementation, `<Name>Proxy` for its proxy. */
  label: string
  artifact: { name: string; abi: Abi; deployedBytecode: Hex }
  address: Address
  /** Factory calldata that creates it. */
  calldata: Hex
}

export type DeployArtifacts = Record<ProxiedL1Contract | 'Proxy' | 'ProxyAdmin', BedrockArtifact> & {
  OPEN: {
    name: string
    abi: Abi
    bytecode: Hex
    deployedBytecode: Hex
    immutableReferences?: Record<string, { start: number; length: number }[]>
  }
}

export type DeploymentPlan = {
  contracts: PlannedContract[]
  proxyAdmin: Address
  open: Address
  proxies: Record<ProxiedL1Contract, Address>
  implementations: Record<ProxiedL1Contract, Address>
  roles: {
    systemOwner: Address
    guardian: Address
    challenger: Address
    proxyAdminOwner: Address
    unsafeBlockSigner: Address
    batchInbox: Address
    openHolder: Address
  }
}

/**
 * Every address of the deployment, computed before anything is sent: CREATE2 through the factory with a salt of
 * (deployer, config salt, label) makes the result a function of the config and the deployer only.
 */
export function planDeployment(config: DeployConfig, deployer: Address, artifacts: DeployArtifacts): DeploymentPlan {
  const contracts: PlannedContract[] = []
  const plan = (label: string, artifact: PlannedContract['artifact'] & { bytecode: Hex }, args: unknown[] = []) => {
    const initCode = encodeDeployData({ abi: artifact.abi, bytecode: artifact.bytecode, args })
    const salt = create2Salt(deployer, config.salt, label)
    const entry = {
      label,
      artifact,
      address: create2Address(salt, initCode),
      calldata: create2Calldata(salt, initCode),
    }
    contracts.push(entry)
    return entry.address
  }
  const systemOwner = config.systemOwner ?? deployer
  const proxyAdmin = plan('ProxyAdmin', artifacts.ProxyAdmin, [deployer])
  const implementations = {} as Record<ProxiedL1Contract, Address>
  const proxies = {} as Record<ProxiedL1Contract, Address>
  for (const name of PROXIED_L1_CONTRACTS) {
    implementations[name] = plan(name, artifacts[name])
    proxies[name] = plan(`${name}Proxy`, artifacts.Proxy, [proxyAdmin])
  }
  const openHolder = config.openHolder ?? deployer
  const open = plan('OPEN', artifacts.OPEN, [openHolder])
  return {
    contracts,
    proxyAdmin,
    open,
    proxies,
    implementations,
    roles: {
      systemOwner,
      guardian: config.guardian ?? systemOwner,
      challenger: config.challenger ?? systemOwner,
      proxyAdminOwner: config.proxyAdminOwner ?? deployer,
      unsafeBlockSigner: config.unsafeBlockSigner ?? deployer,
      batchInbox: config.batchInbox ?? defaultBatchInbox(config.l2ChainId),
      openHolder,
    },
  }
}

/** `bytes32(uint256(uint160(batcher)))`: version 0 batcher hash (SystemConfig, rollup.json `batcherAddr`). */
export const batcherHash = (batcher: Address): Hex => pad(batcher, { size: 32 })

/**
 * The `initialize` calldata of each proxy (op-stack-protocol.md §6.6). L2OutputOracle needs the L2 genesis time,
 * which is known only once SystemConfig's initialization is mined, so it is built separately.
 */
export function initializeCalldata(
  config: DeployConfig,
  plan: DeploymentPlan,
  artifacts: DeployArtifacts,
): Record<Exclude<ProxiedL1Contract, 'L2OutputOracle'>, Hex> {
  const p = plan.proxies
  const call = (name: ProxiedL1Contract, args: unknown[]) =>
    encodeFunctionData({ abi: artifacts[name].abi, functionName: 'initialize', args })
  return {
    SuperchainConfig: call('SuperchainConfig', [plan.roles.guardian, false]),
    OptimismPortal: call('OptimismPortal', [p.L2OutputOracle, p.SystemConfig, p.SuperchainConfig]),
    SystemConfig: call('SystemConfig', [
      plan.roles.systemOwner,
      config.basefeeScalar,
      config.blobbasefeeScalar,
      batcherHash(config.batcher),
      BigInt(config.l2GasLimit),
      plan.roles.unsafeBlockSigner,
      DEFAULT_RESOURCE_CONFIG,
      plan.roles.batchInbox,
      {
        l1CrossDomainMessenger: p.L1CrossDomainMessenger,
        l1ERC721Bridge: p.L1ERC721Bridge,
        l1StandardBridge: p.L1StandardBridge,
        // No fault proofs: the portal is the L2OutputOracle-based v2.8, so there is no DisputeGameFactory.
        disputeGameFactory: pad('0x', { size: 20 }),
        optimismPortal: p.OptimismPortal,
        optimismMintableERC20Factory: p.OptimismMintableERC20Factory,
        gasPayingToken: ETHER,
      },
    ]),
    L1StandardBridge: call('L1StandardBridge', [p.L1CrossDomainMessenger, p.SuperchainConfig, p.SystemConfig]),
    L1ERC721Bridge: call('L1ERC721Bridge', [p.L1CrossDomainMessenger, p.SuperchainConfig]),
    OptimismMintableERC20Factory: call('OptimismMintableERC20Factory', [p.L1StandardBridge]),
    L1CrossDomainMessenger: call('L1CrossDomainMessenger', [p.SuperchainConfig, p.OptimismPortal, p.SystemConfig]),
  }
}

export function l2OutputOracleInitializeCalldata(
  config: DeployConfig,
  plan: DeploymentPlan,
  artifacts: DeployArtifacts,
  startingTimestamp: bigint,
): Hex {
  return encodeFunctionData({
    abi: artifacts.L2OutputOracle.abi,
    functionName: 'initialize',
    args: [
      BigInt(config.submissionInterval),
      BigInt(config.l2BlockTime),
      BigInt(config.l2StartingBlockNumber),
      startingTimestamp,
      config.proposer,
      plan.roles.challenger,
      BigInt(config.finalizationPeriodSeconds),
    ],
  })
}
