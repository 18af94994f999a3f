import { type Address, encodeAbiParameters, getAddress, type Hex, keccak256, pad, toHex } from 'viem'
import { type ContractArtifact, type GenesisArtifactName, type GenesisArtifacts, requireArtifact } from './artifacts.js'
import { type L2GenesisConfig, WithdrawalNetwork } from './config.js'
import { patchImmutables } from './immutables.js'
import {
  codeNamespaceAddress,
  EIP1967_ADMIN_SLOT,
  EIP1967_IMPLEMENTATION_SLOT,
  NOT_PROXIED,
  PREDEPLOY_COUNT,
  type PredeployName,
  predeployAddress,
  predeploys,
} from './predeploys.js'
import {
  BEACON_ROOTS_ADDRESS,
  BEACON_ROOTS_CODE,
  BEACON_ROOTS_SENDER,
  CREATE2_DEPLOYER_ADDRESS,
  CREATE2_DEPLOYER_CODE,
  MULTICALL3_ADDRESS,
  MULTICALL3_CODE,
} from './preinstalls.js'
import { type Storage, writeSlot, writeVariable } from './storage-layout.js'

export type GenesisAccount = { nonce: bigint; balance: bigint; code?: Hex; storage: Storage }

/** Genesis state keyed by checksummed address. */
export type Alloc = Map<Address, GenesisAccount>

/** Constants.DEFAULT_L2_SENDER: the messenger's `xDomainMessageSender` outside of a relay. */
const DEFAULT_L2_SENDER: Address = '0x000000000000000000000000000000000000dEaD'
/** L2Genesis.PRECOMPILE_COUNT: 0x00…00–0x00…FF each get 1 wei so no precompile account is empty. */
const PRECOMPILE_COUNT = 256

/**
 * The predeploys whose proxy gets an implementation, with the artifact behind it (Predeploys.isSupportedPredeploy
 * without interop; WETH and GovernanceToken are not proxied and GovernanceToken is disabled).
 */
const IMPLEMENTED: Partial<Record<PredeployName, GenesisArtifactName>> = {
  LegacyMessagePasser: 'LegacyMessagePasser',
  DeployerWhitelist: 'DeployerWhitelist',
  L2CrossDomainMessenger: 'L2CrossDomainMessenger',
  GasPriceOracle: 'GasPriceOracle',
  L2StandardBridge: 'L2StandardBridge',
  SequencerFeeVault: 'SequencerFeeVault',
  OptimismMintableERC20Factory: 'OptimismMintableERC20Factory',
  L1BlockNumber: 'L1BlockNumber',
  L2ERC721Bridge: 'L2ERC721Bridge',
  L1Block: 'L1Block',
  L2ToL1MessagePasser: 'L2ToL1MessagePasser',
  OptimismMintableERC721Factory: 'OptimismMintableERC721Factory',
  ProxyAdmin: 'ProxyAdmin',
  BaseFeeVault: 'BaseFeeVault',
  L1FeeVault: 'L1FeeVault',
  SchemaRegistry: 'SchemaRegistry',
  EAS: 'EAS',
}

function account(alloc: Alloc, address: Address): GenesisAccount {
  const key = getAddress(address)
  let entry = alloc.get(key)
  if (!entry) {
    entry = { nonce: 0n, balance: 0n, storage: {} }
    alloc.set(key, entry)
  }
  return entry
}

/** Storage an `initializer` leaves behind: `_initialized = 1` (and `_initializing` back to false). */
function initialized(target: GenesisAccount, artifact: ContractArtifact, name: string): void {
  writeVariable(target.storage, artifact.storageLayout, '_initialized', 1n, name)
}

const isActive = (time: number | null, genesisTime: number) => time !== null && time <= genesisTime

/**
 * The L2 genesis state, as the reference `L2Genesis.s.sol` (contracts-bedrock 0.17.3, OutputMode DEFAULT_LATEST)
 * leaves it: the `initialize` calls it makes on implementations and proxies are reproduced as the storage they write,
 * placed with the artifacts' storage layouts, and constructor-set immutables are patched into the runtime code.
 */
export function buildL2Alloc(config: L2GenesisConfig, artifacts: GenesisArtifacts): Alloc {
  const alloc: Alloc = new Map()
  const artifact = (name: GenesisArtifactName) => requireArtifact(artifacts, name)
  const impl = (name: PredeployName) => account(alloc, codeNamespaceAddress(predeploys[name]))
  const proxy = (name: PredeployName) => account(alloc, predeploys[name])

  for (let i = 0; i < PRECOMPILE_COUNT; i++) account(alloc, pad(toHex(i), { size: 20 })).balance = 1n

  const proxyCode = artifact('Proxy').deployedBytecode
  const notProxied = new Set(NOT_PROXIED.map((a) => getAddress(a)))
  const implemented = new Set(Object.keys(IMPLEMENTED).map((n) => getAddress(predeploys[n as PredeployName])))
  for (let i = 0; i < PREDEPLOY_COUNT; i++) {
    const address = predeployAddress(i)
    if (notProxied.has(address)) continue
    const entry = account(alloc, address)
    entry.code = proxyCode
    writeSlot(entry.storage, EIP1967_ADMIN_SLOT, BigInt(predeploys.ProxyAdmin))
    if (implemented.has(address))
      writeSlot(entry.storage, EIP1967_IMPLEMENTATION_SLOT, BigInt(codeNamespaceAddress(address)))
  }

  for (const [predeploy, name] of Object.entries(IMPLEMENTED) as [PredeployName, GenesisArtifactName][])
    impl(predeploy).code = artifact(name).deployedBytecode
  account(alloc, predeploys.WETH).code = artifact('WETH').deployedBytecode

  const cdm = artifact('L2CrossDomainMessenger')
  for (const target of [impl('L2CrossDomainMessenger'), proxy('L2CrossDomainMessenger')]) {
    initialized(target, cdm, 'L2CrossDomainMessenger')
    writeVariable(target.storage, cdm.storageLayout, 'xDomainMsgSender', BigInt(DEFAULT_L2_SENDER))
  }
  writeVariable(
    proxy('L2CrossDomainMessenger').storage,
    cdm.storageLayout,
    'otherMessenger',
    BigInt(config.l1.L1CrossDomainMessenger),
  )

  // Both bridges' initialize() sets `messenger` to the L2 messenger predeploy even on the implementation.
  for (const [name, otherBridge] of [
    ['L2StandardBridge', config.l1.L1StandardBridge],
    ['L2ERC721Bridge', config.l1.L1ERC721Bridge],
  ] as const) {
    const layout = artifact(name)
    for (const target of [impl(name), proxy(name)]) {
      initialized(target, layout, name)
      writeVariable(target.storage, layout.storageLayout, 'messenger', BigInt(predeploys.L2CrossDomainMessenger), name)
    }
    writeVariable(proxy(name).storage, layout.storageLayout, 'otherBridge', BigInt(otherBridge), name)
  }

  const factory = artifact('OptimismMintableERC20Factory')
  initialized(impl('OptimismMintableERC20Factory'), factory, 'OptimismMintableERC20Factory')
  initialized(proxy('OptimismMintableERC20Factory'), factory, 'OptimismMintableERC20Factory')
  writeVariable(
    proxy('OptimismMintableERC20Factory').storage,
    factory.storageLayout,
    'bridge',
    BigInt(predeploys.L2StandardBridge),
    'OptimismMintableERC20Factory',
  )

  const proxyAdmin = artifact('ProxyAdmin')
  for (const target of [impl('ProxyAdmin'), proxy('ProxyAdmin')])
    writeVariable(target.storage, proxyAdmin.storageLayout, '_owner', BigInt(config.proxyAdminOwner), 'ProxyAdmin')

  // setEcotone()/setFjord() run against the proxy only, after the forks are known to be active at genesis.
  const gpo = artifact('GasPriceOracle')
  const gpoProxy = proxy('GasPriceOracle')
  writeVariable(gpoProxy.storage, gpo.storageLayout, 'isEcotone', isActive(config.forks.ecotone, config.timestamp))
  writeVariable(gpoProxy.storage, gpo.storageLayout, 'isFjord', isActive(config.forks.fjord, config.timestamp))

  for (const [name, vault] of [
    ['SequencerFeeVault', config.feeVaults.sequencer],
    ['BaseFeeVault', config.feeVaults.base],
    ['L1FeeVault', config.feeVaults.l1],
  ] as const) {
    const a = artifact(name)
    impl(name).code = patchImmutables(
      a.deployedBytecode,
      a.immutableReferences ?? {},
      a.immutableNames ?? {},
      {
        RECIPIENT: BigInt(vault.recipient),
        MIN_WITHDRAWAL_AMOUNT: vault.minWithdrawalAmount,
        WITHDRAWAL_NETWORK: BigInt(WithdrawalNetwork[vault.withdrawalNetwork]),
      },
      name,
    )
  }

  const erc721Factory = artifact('OptimismMintableERC721Factory')
  impl('OptimismMintableERC721Factory').code = patchImmutables(
    erc721Factory.deployedBytecode,
    erc721Factory.immutableReferences ?? {},
    erc721Factory.immutableNames ?? {},
    { BRIDGE: BigInt(predeploys.L2ERC721Bridge), REMOTE_CHAIN_ID: BigInt(config.l1ChainId) },
    'OptimismMintableERC721Factory',
  )

  const eas = artifact('EAS')
  impl('EAS').code = patchImmutables(
    eas.deployedBytecode,
    eas.immutableReferences ?? {},
    eas.immutableNames ?? {},
    easImmutables(config.l2ChainId),
    'EAS',
  )

  for (const [address, code] of [
    [MULTICALL3_ADDRESS, MULTICALL3_CODE],
    [CREATE2_DEPLOYER_ADDRESS, CREATE2_DEPLOYER_CODE],
    [BEACON_ROOTS_ADDRESS, BEACON_ROOTS_CODE],
  ] as const) {
    const entry = account(alloc, address)
    entry.code = code
    entry.nonce = 1n
  }
  account(alloc, BEACON_ROOTS_SENDER).nonce = 1n

  for (const { address, balance } of config.fundedAccounts) account(alloc, address).balance = balance
  return alloc
}

/**
 * EAS's constructor (`EIP1271Verifier("EAS", "1.3.0")` over OpenZeppelin's EIP712) caches the EIP-712 domain in
 * immutables. The reference creates it at a throwaway address, which makes the cache miss on every call through the
 * proxy; caching the proxy address (where EAS runs) gives the same domain separator and a hit.
 */
function easImmutables(chainId: number): Record<string, bigint | Hex> {
  const typeHash = keccak256(
    toHex('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'),
  )
  const nameHash = keccak256(toHex('EAS'))
  const versionHash = keccak256(toHex('1.3.0'))
  const separator = keccak256(
    encodeAbiParameters(
      [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }],
      [typeHash, nameHash, versionHash, BigInt(chainId), predeploys.EAS],
    ),
  )
  return {
    _CACHED_DOMAIN_SEPARATOR: separator,
    _CACHED_CHAIN_ID: BigInt(chainId),
    _CACHED_THIS: BigInt(predeploys.EAS),
    _HASHED_NAME: nameHash,
    _HASHED_VERSION: versionHash,
    _TYPE_HASH: typeHash,
    // stringToBytes32: the string's bytes, left-aligned.
    _name: pad(toHex('EAS'), { dir: 'right', size: 32 }),
  }
}
