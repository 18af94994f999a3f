import { predeploys } from '@opl/protocol'
import {
  type Address,
  encodeDeployData,
  getContractAddress,
  type Hex,
  keccak256,
  parseAbi,
  parseEther,
  toBytes,
} from 'viem'
import { readOwnArtifact } from './artifacts.js'
import { REPO_ROOT } from './deploy/artifacts.js'
import { devnetWallet } from './wallet.js'

/** The L2 side of the AI layer, as devnet.json lists it under `contracts.l2`. */
export type L2Contracts = {
  OPEN: Address
  DatanetRegistry: Address
  ModelRegistry: Address
  AttributionRewards: Address
}

/**
 * Devnet values: an epoch a minute and the shortest challenge window the contract accepts, so a payment is settled,
 * challenged, re-settled and claimed within about two minutes (test/ai-contracts-devnet.test.ts). Production would
 * use hours-long epochs and a window of a day or more.
 */
export const DEVNET_ATTRIBUTION = {
  epochLength: 60n,
  /** the contract's minimum (MIN_CHALLENGE_WINDOW) */
  challengeWindow: 60n,
  minAttestorBond: parseEther('100'),
  challengeBond: parseEther('10'),
} as const

export class L2DeployError extends Error {
  override name = 'L2DeployError'
}

const rewardsRoleAbi = parseAbi(['function grantRole(bytes32 role, address account)'])
const factoryAbi = parseAbi([
  'function createOptimismMintableERC20(address _remoteToken, string _name, string _symbol) returns (address)',
])

/**
 * Deploys the L2 OPEN (an OptimismMintableERC20 of the L1 OPEN, through the factory predeploy, so the standard bridge
 * mints and burns it), DatanetRegistry, ModelRegistry and AttributionRewards, and grants `attestor` ATTESTOR_ROLE. The
 * five txs are sent back to back with consecutive nonces (their addresses are known before they are mined) and land in
 * one or two L2 blocks.
 *
 * Idempotent: when `previous` names contracts that all have code, nothing is sent.
 */
export async function deployL2Contracts(options: {
  rpc: string
  chainId: number
  deployerKey: Hex
  l1Open: Address
  /** gets AttributionRewards' ATTESTOR_ROLE */
  attestor: Address
  previous?: Partial<L2Contracts>
}): Promise<{ contracts: L2Contracts; transactions: number }> {
  const { account, client, wallet } = devnetWallet({
    rpc: options.rpc,
    chainId: options.chainId,
    key: options.deployerKey,
    name: 'OpenLedger L2 devnet',
    pollingInterval: 200,
  })

  const previous = options.previous
  if (previous?.OPEN && previous.DatanetRegistry && previous.ModelRegistry && previous.AttributionRewards) {
    const { OPEN, DatanetRegistry, ModelRegistry, AttributionRewards } = previous
    const contracts = { OPEN, DatanetRegistry, ModelRegistry, AttributionRewards }
    const codes = await Promise.all(Object.values(contracts).map((address) => client.getCode({ address })))
    if (codes.every((code) => code !== undefined && code !== '0x')) return { contracts, transactions: 0 }
  }

  const { result: OPEN, request } = await client.simulateContract({
    account,
    address: predeploys.OptimismMintableERC20Factory,
    abi: factoryAbi,
    functionName: 'createOptimismMintableERC20',
    args: [options.l1Open, 'OpenLedger', 'OPEN'],
  })
  let nonce = await client.getTransactionCount({ address: account.address, blockTag: 'pending' })
  const hashes: Hex[] = [await wallet.writeContract({ ...request, nonce: nonce++ })]
  const deploy = async (path: string, name: string, args: readonly unknown[]): Promise<Address> => {
    const artifact = readOwnArtifact(REPO_ROOT, path, name)
    const address = getContractAddress({ from: account.address, nonce: BigInt(nonce) })
    const data = encodeDeployData({ abi: artifact.abi, bytecode: artifact.bytecode, args })
    hashes.push(await wallet.sendTransaction({ data, nonce: nonce++, gas: 8_000_000n }))
    return address
  }
  const admin = account.address
  const DatanetRegistry = await deploy('datanets/DatanetRegistry.sol', 'DatanetRegistry', [OPEN, admin, admin])
  const ModelRegistry = await deploy('models/ModelRegistry.sol', 'ModelRegistry', [DatanetRegistry, admin])
  const p = DEVNET_ATTRIBUTION
  const AttributionRewards = await deploy('attribution/AttributionRewards.sol', 'AttributionRewards', [
    OPEN,
    ModelRegistry,
    admin,
    admin,
    admin,
    p.epochLength,
    p.challengeWindow,
    p.minAttestorBond,
    p.challengeBond,
  ])
  // The devnet attestor's role comes with the deploy (the deployer's nonces are in hand here): the attribution
  // service's background bonding then never sends from the deployer's key.
  hashes.push(
    await wallet.writeContract({
      address: AttributionRewards,
      abi: rewardsRoleAbi,
      functionName: 'grantRole',
      args: [keccak256(toBytes('ATTESTOR_ROLE')), options.attestor],
      nonce: nonce++,
      // estimating would run against a head without the contract yet
      gas: 100_000n,
    }),
  )
  for (const hash of hashes) {
    const receipt = await client.waitForTransactionReceipt({ hash, timeout: 120_000 })
    if (receipt.status !== 'success') throw new L2DeployError(`L2 deploy tx ${hash} reverted`)
  }
  return { contracts: { OPEN, DatanetRegistry, ModelRegistry, AttributionRewards }, transactions: hashes.length }
}
