import { type Address, getAddress, type Hex, pad, toHex } from 'viem'

/** Size of the predeploy namespace 0x4200…0000–0x4200…07FF (Predeploys.PREDEPLOY_COUNT in contracts-bedrock). */
export const PREDEPLOY_COUNT = 2048

export const predeploys = {
  LegacyMessagePasser: '0x4200000000000000000000000000000000000000',
  DeployerWhitelist: '0x4200000000000000000000000000000000000002',
  WETH: '0x4200000000000000000000000000000000000006',
  L2CrossDomainMessenger: '0x4200000000000000000000000000000000000007',
  GasPriceOracle: '0x420000000000000000000000000000000000000F',
  L2StandardBridge: '0x4200000000000000000000000000000000000010',
  SequencerFeeVault: '0x4200000000000000000000000000000000000011',
  OptimismMintableERC20Factory: '0x4200000000000000000000000000000000000012',
  L1BlockNumber: '0x4200000000000000000000000000000000000013',
  L2ERC721Bridge: '0x4200000000000000000000000000000000000014',
  L1Block: '0x4200000000000000000000000000000000000015',
  L2ToL1MessagePasser: '0x4200000000000000000000000000000000000016',
  OptimismMintableERC721Factory: '0x4200000000000000000000000000000000000017',
  ProxyAdmin: '0x4200000000000000000000000000000000000018',
  BaseFeeVault: '0x4200000000000000000000000000000000000019',
  L1FeeVault: '0x420000000000000000000000000000000000001A',
  SchemaRegistry: '0x4200000000000000000000000000000000000020',
  EAS: '0x4200000000000000000000000000000000000021',
  GovernanceToken: '0x4200000000000000000000000000000000000042',
} as const satisfies Record<string, Address>

export type PredeployName = keyof typeof predeploys

/** The predeploys that get no `Proxy` in front of them (Predeploys.notProxied). */
export const NOT_PROXIED: readonly Address[] = [predeploys.WETH, predeploys.GovernanceToken]

/** EIP-1967 `bytes32(uint256(keccak256('eip1967.proxy.admin')) - 1)`. */
export const EIP1967_ADMIN_SLOT: Hex = '0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103'
/** EIP-1967 `bytes32(uint256(keccak256('eip1967.proxy.implementation')) - 1)`. */
export const EIP1967_IMPLEMENTATION_SLOT: Hex = '0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc'

/** The `index`-th address of the predeploy namespace. */
export function predeployAddress(index: number): Address {
  return getAddress(pad(toHex(0x4200n * 2n ** 144n + BigInt(index)), { size: 20 }))
}

/** Where the genesis puts a predeploy's implementation: 0xc0D3…C0d3 with the predeploy's low 2 bytes. */
export function codeNamespaceAddress(predeploy: Address): Address {
  const low = BigInt(predeploy) & 0xffffn
  return getAddress(pad(toHex(0xc0d3c0d3c0d3c0d3c0d3c0d3c0d3c0d3c0d30000n | low), { size: 20 }))
}
