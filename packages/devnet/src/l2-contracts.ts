import { predeploys } from '@opl/protocol'
import { nativeSigningAccount } from '@opl/service-kit'
import {
  type Address,
  encodeAbiParameters,
  encodeDeployData,
  encodeFunctionData,
  getContractAddress,
  type Hex,
  keccak256,
  parseAbi,
  parseAbiParameters,
  parseEther,
  parseGwei,
  toBytes,
} from 'viem'
import { readOwnArtifact } from './artifacts.js'
import { readBedrockArtifact } from './bedrock-artifacts.js'
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

/** `contracts` when it names all four, else undefined. */
export function completeL2Contracts(contracts: Partial<L2Contracts> | undefined): L2Contracts | undefined {
  const { OPEN, DatanetRegistry, ModelRegistry, AttributionRewards } = contracts ?? {}
  return OPEN && DatanetRegistry && ModelRegistry && AttributionRewards
    ? { OPEN, DatanetRegistry, ModelRegistry, AttributionRewards }
    : undefined
}

export function sameL2Contracts(a: L2Contracts, b: L2Contracts): boolean {
  return (Object.keys(a) as (keyof L2Contracts)[]).every((k) => a[k].toLowerCase() === b[k].toLowerCase())
}

export class L2DeployError extends Error {
  override name = 'L2DeployError'
}

const rewardsRoleAbi = parseAbi(['function grantRole(bytes32 role, address account)'])
const factoryAbi = parseAbi([
  'function createOptimismMintableERC20(address _remoteToken, string _name, string _symbol) returns (address)',
])
const OPEN_TOKEN = { name: 'OpenLedger', symbol: 'OPEN', decimals: 18 } as const

/** The deploy's signed txs and the addresses they create: nothing in it needs the L2 to be running. */
export type L2DeployPlan = { contracts: L2Contracts; nonce: number; rawTransactions: Hex[] }

/**
 * Signs the five deploy txs offline from the deployer's `nonce` (0 on a fresh L2): the L2 OPEN is the factory's
 * CREATE2 (salt = keccak256(abi.encode(remote, name, symbol, decimals)), as OptimismMintableERC20Factory does), the
 * others the deployer's CREATEs; gas limits and fees are fixed (the genesis base fee is 1 gwei and rises ≤ 2 % per
 * block under Canyon's parameters). The devnet signs while the node starts, starts the attribution service with
 * these addresses beside it, and sends the txs the moment the node answers, in one of its catch-up blocks.
 */
export async function planL2Contracts(options: {
  chainId: number
  deployerKey: Hex
  l1Open: Address
  /** gets AttributionRewards' ATTESTOR_ROLE */
  attestor: Address
  nonce: number
}): Promise<L2DeployPlan> {
  const account = nativeSigningAccount(options.deployerKey)
  const token = readBedrockArtifact('OptimismMintableERC20')
  const { name, symbol, decimals } = OPEN_TOKEN
  const OPEN = getContractAddress({
    opcode: 'CREATE2',
    from: predeploys.OptimismMintableERC20Factory,
    salt: keccak256(
      encodeAbiParameters(parseAbiParameters('address, string, string, uint8'), [
        options.l1Open,
        name,
        symbol,
        decimals,
      ]),
    ),
    bytecode: encodeDeployData({
      abi: token.abi,
      bytecode: token.bytecode,
      args: [predeploys.L2StandardBridge, options.l1Open, name, symbol, decimals],
    }),
  })
  let nonce = options.nonce
  const txs: { to?: Address; data: Hex; gas: bigint }[] = [
    {
      to: predeploys.OptimismMintableERC20Factory,
      data: encodeFunctionData({
        abi: factoryAbi,
        functionName: 'createOptimismMintableERC20',
        args: [options.l1Open, name, symbol],
      }),
      gas: 4_000_000n,
    },
  ]
  const deploy = (path: string, contract: string, args: readonly unknown[]): Address => {
    const artifact = readOwnArtifact(REPO_ROOT, path, contract)
    txs.push({ data: encodeDeployData({ abi: artifact.abi, bytecode: artifact.bytecode, args }), gas: 8_000_000n })
    return getContractAddress({ from: account.address, nonce: BigInt(nonce + txs.length - 1) })
  }
  const admin = account.address
  const DatanetRegistry = deploy('datanets/DatanetRegistry.sol', 'DatanetRegistry', [OPEN, admin, admin])
  const ModelRegistry = deploy('models/ModelRegistry.sol', 'ModelRegistry', [DatanetRegistry, admin])
  const p = DEVNET_ATTRIBUTION
  const AttributionRewards = deploy('attribution/AttributionRewards.sol', 'AttributionRewards', [
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
  // The devnet attestor's role comes with the deploy: the attribution service's background bonding then never sends
  // from the deployer's key.
  txs.push({
    to: AttributionRewards,
    data: encodeFunctionData({
      abi: rewardsRoleAbi,
      functionName: 'grantRole',
      args: [keccak256(toBytes('ATTESTOR_ROLE')), options.attestor],
    }),
    gas: 100_000n,
  })
  const rawTransactions = await Promise.all(
    txs.map((tx) =>
      account.signTransaction({
        ...tx,
        chainId: options.chainId,
        nonce: nonce++,
        type: 'eip1559',
        maxFeePerGas: parseGwei('3'),
        maxPriorityFeePerGas: parseGwei('1'),
      }),
    ),
  )
  return {
    contracts: { OPEN, DatanetRegistry, ModelRegistry, AttributionRewards },
    nonce: options.nonce,
    rawTransactions,
  }
}

/**
 * Deploys the L2 OPEN (an OptimismMintableERC20 of the L1 OPEN, through the factory predeploy, so the standard bridge
 * mints and burns it), DatanetRegistry, ModelRegistry and AttributionRewards, and grants `attestor` ATTESTOR_ROLE:
 * `plan`'s txs when it was signed for the deployer's current nonce, otherwise a plan signed now. Resolves once they
 * are sent, with the addresses; `mined` resolves when every one succeeded and created its contract, and rejects
 * with L2DeployError otherwise.
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
  plan?: L2DeployPlan
}): Promise<{ contracts: L2Contracts; transactions: number; mined: Promise<void> }> {
  const { account, client } = devnetWallet({
    rpc: options.rpc,
    chainId: options.chainId,
    key: options.deployerKey,
    name: 'OpenLedger L2 devnet',
    pollingInterval: 100,
  })

  const contracts = completeL2Contracts(options.previous)
  if (contracts) {
    const codes = await Promise.all(Object.values(contracts).map((address) => client.getCode({ address })))
    if (codes.every((code) => code !== undefined && code !== '0x'))
      return { contracts, transactions: 0, mined: Promise.resolve() }
  }

  const nonce = await client.getTransactionCount({ address: account.address, blockTag: 'pending' })
  const plan = options.plan?.nonce === nonce ? options.plan : await planL2Contracts({ ...options, nonce })
  const hashes: Hex[] = []
  for (const raw of plan.rawTransactions) hashes.push(await client.sendRawTransaction({ serializedTransaction: raw }))
  const mined = (async () => {
    for (const hash of hashes) {
      const receipt = await client.waitForTransactionReceipt({ hash, timeout: 120_000 })
      if (receipt.status !== 'success') throw new L2DeployError(`L2 deploy tx ${hash} reverted`)
    }
    const codes = await Promise.all(Object.values(plan.contracts).map((address) => client.getCode({ address })))
    const missing = Object.keys(plan.contracts).filter((_, i) => codes[i] === undefined || codes[i] === '0x')
    if (missing.length)
      throw new L2DeployError(`L2 deploy left no code at the planned address of ${missing.join(', ')}`)
  })()
  // a caller that stops after another failure may never await it
  mined.catch(() => undefined)
  return { contracts: plan.contracts, transactions: hashes.length, mined }
}
