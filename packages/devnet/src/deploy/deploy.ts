import { EIP1967_IMPLEMENTATION_SLOT } from '@opl/protocol'
import { nativeSigningAccount } from '@opl/service-kit'
import type { Logger } from 'pino'
import {
  type Address,
  type Block,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  getAddress,
  type Hash,
  type Hex,
  http,
  numberToHex,
  type PublicClient,
  parseAbi,
} from 'viem'
import { readDeployArtifacts } from './artifacts.js'
import { type DeployConfig, type DeployConfigInput, parseDeployConfig } from './config.js'
import { CREATE2_FACTORY } from './create2.js'
import { DeployError } from './errors.js'
import {
  type DeployArtifacts,
  type DeploymentPlan,
  initializeCalldata,
  l2OutputOracleInitializeCalldata,
  PROXIED_L1_CONTRACTS,
  type ProxiedL1Contract,
  planDeployment,
} from './plan.js'

export type L1BlockRef = { hash: Hash; number: number; parentHash: Hash; timestamp: number }

/** What the deploy leaves on L1; `contracts` holds the addresses users talk to (proxies, ProxyAdmin, OPEN). */
export type L1Deployment = {
  l1ChainId: number
  l2ChainId: number
  deployer: Address
  contracts: Record<ProxiedL1Contract | 'ProxyAdmin' | 'OPEN', Address>
  implementations: Record<ProxiedL1Contract, Address>
  roles: DeploymentPlan['roles'] & { batcher: Address; proposer: Address }
  /** The block SystemConfig was initialized in (its `startBlock`): the rollup's `genesis.l1`. */
  l1Genesis: L1BlockRef
  /** L2 genesis timestamp = `l1Genesis.timestamp` = L2OutputOracle `startingTimestamp`. */
  l2GenesisTime: number
  /** SystemConfig as read back after initialization: rollup.json `genesis.system_config`. */
  systemConfig: { batcherAddr: Address; overhead: Hex; scalar: Hex; gasLimit: bigint }
  config: Omit<DeployConfig, 'deployerKey'>
  /** Transactions this run sent (0 when everything was already there). */
  transactions: number
  durationMs: number
}

export type DeployProgress = { step: number; total: number; message: string }

export type DeployOptions = {
  log?: Logger
  onProgress?: (progress: DeployProgress) => void
  artifacts?: DeployArtifacts
}

const proxyAdminAbi = parseAbi([
  'function upgradeAndCall(address _proxy, address _implementation, bytes _data) payable',
  'function owner() view returns (address)',
  'function transferOwnership(address newOwner)',
])
const readerAbi = parseAbi([
  'function startBlock() view returns (uint256)',
  'function startingTimestamp() view returns (uint256)',
  'function batcherHash() view returns (bytes32)',
  'function overhead() view returns (uint256)',
  'function scalar() view returns (uint256)',
  'function gasLimit() view returns (uint64)',
])

async function connect(config: DeployConfig): Promise<{ client: PublicClient; chainId: number }> {
  const client = createPublicClient({ transport: http(config.l1Rpc, { retryCount: 0, timeout: 5_000 }) })
  let chainId: number
  try {
    chainId = await client.getChainId()
  } catch (cause) {
    throw new DeployError(
      `L1 unreachable at ${config.l1Rpc}: ${(cause as Error).message.split('\n')[0]}`,
      { field: 'l1Rpc' },
      { cause },
    )
  }
  if (config.l1ChainId !== undefined && chainId !== config.l1ChainId)
    throw new DeployError(`L1 at ${config.l1Rpc} has chain id ${chainId}, config says ${config.l1ChainId}`, {
      field: 'l1ChainId',
      actual: chainId,
    })
  return { client, chainId }
}

/**
 * Deploys the L1 side of the rollup (contracts-bedrock 0.17.3, byte for byte, behind `Proxy` + `ProxyAdmin`) and OPEN,
 * and initializes every proxy. Idempotent: contracts already at their planned address and proxies already pointing at
 * their implementation are left alone, so a re-run against the same L1 only reads.
 */
export async function deployL1(
  input: DeployConfigInput | DeployConfig,
  options: DeployOptions = {},
): Promise<L1Deployment> {
  const started = performance.now()
  const config = parseDeployConfig(input as Record<string, unknown>)
  const { log } = options
  const artifacts = options.artifacts ?? readDeployArtifacts()
  const { client, chainId } = await connect(config)
  const account = nativeSigningAccount(config.deployerKey)
  const chain = defineChain({
    id: chainId,
    name: `L1 ${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [config.l1Rpc] } },
  })
  const wallet = createWalletClient({
    account,
    chain,
    transport: http(config.l1Rpc, { retryCount: 0, timeout: 30_000 }),
  })

  const [factoryCode, balance] = await Promise.all([
    client.getCode({ address: CREATE2_FACTORY }),
    client.getBalance({ address: account.address }),
  ])
  if (!factoryCode)
    throw new DeployError(`no CREATE2 factory at ${CREATE2_FACTORY} on L1 ${chainId}; deploy Arachnid's proxy first`, {
      address: CREATE2_FACTORY,
    })

  const plan = planDeployment(config, account.address, artifacts)
  const codes = await Promise.all(plan.contracts.map((c) => client.getCode({ address: c.address })))
  const missing = plan.contracts.filter((_, i) => !codes[i])
  const implementationSlots = await Promise.all(
    PROXIED_L1_CONTRACTS.map((name) =>
      client.getStorageAt({ address: plan.proxies[name], slot: EIP1967_IMPLEMENTATION_SLOT }),
    ),
  )
  const uninitialized = PROXIED_L1_CONTRACTS.filter((name, i) => {
    const slot = implementationSlots[i]
    if (!slot || BigInt(slot) === 0n) return true
    const current = getAddress(`0x${slot.slice(-40)}`)
    if (current !== plan.implementations[name])
      throw new DeployError(
        `${name}Proxy at ${plan.proxies[name]} points at ${current}, not the planned ${plan.implementations[name]}`,
        {
          contract: name,
        },
      )
    return false
  })
  const transferOwner = plan.roles.proxyAdminOwner !== account.address ? 1 : 0
  const total = missing.length + uninitialized.length + transferOwner
  if (total > 0 && balance === 0n)
    throw new DeployError(`deployer ${account.address} has no ETH on L1 ${chainId}`, {
      field: 'deployerKey',
      deployer: account.address,
    })
  log?.info(
    { l1ChainId: chainId, deployer: account.address, toDeploy: missing.length, toInitialize: uninitialized.length },
    'L1 deploy plan',
  )

  let step = 0
  let nonce = await client.getTransactionCount({ address: account.address, blockTag: 'pending' })
  const fees = total > 0 ? await client.estimateFeesPerGas() : undefined
  const progress = (message: string) => {
    step++
    options.onProgress?.({ step, total, message })
  }

  /** Estimates every call against the current state, sends them with consecutive nonces, then waits for all. */
  const sendAll = async (calls: { label: string; to: Address; data: Hex }[]) => {
    const gas = await Promise.all(
      calls.map((c) =>
        client.estimateGas({ account: account.address, to: c.to, data: c.data }).catch((cause) => {
          throw new DeployError(
            `${c.label} would revert: ${(cause as Error).message.split('\n')[0]}`,
            { contract: c.label },
            { cause },
          )
        }),
      ),
    )
    const hashes: Hash[] = []
    for (const [i, c] of calls.entries())
      hashes.push(
        await wallet.sendTransaction({
          to: c.to,
          data: c.data,
          gas: (gas[i]! * 12n) / 10n,
          nonce: nonce++,
          maxFeePerGas: fees?.maxFeePerGas,
          maxPriorityFeePerGas: fees?.maxPriorityFeePerGas,
        }),
      )
    return Promise.all(
      hashes.map(async (hash, i) => {
        const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 100, timeout: 120_000 })
        if (receipt.status !== 'success')
          throw new DeployError(`${calls[i]!.label} reverted in tx ${hash}`, { contract: calls[i]!.label, hash })
        progress(calls[i]!.label)
        log?.info({ label: calls[i]!.label, hash, block: Number(receipt.blockNumber) }, 'mined')
        return receipt
      }),
    )
  }

  await sendAll(
    missing.map((c) => ({ label: `deploy ${c.label} at ${c.address}`, to: CREATE2_FACTORY, data: c.calldata })),
  )
  for (const c of missing)
    if (!(await client.getCode({ address: c.address })))
      throw new DeployError(`the factory did not create ${c.label} at ${c.address}`, { contract: c.label })

  const initData = initializeCalldata(config, plan, artifacts)
  const upgrade = (name: ProxiedL1Contract, data: Hex) => ({
    label: `initialize ${name}`,
    to: plan.proxyAdmin,
    data: encodeFunctionData({
      abi: proxyAdminAbi,
      functionName: 'upgradeAndCall',
      args: [plan.proxies[name], plan.implementations[name], data],
    }),
  })
  // Everything but L2OutputOracle at once; its starting timestamp is the block SystemConfig gets initialized in.
  await sendAll(
    uninitialized.filter((n) => n !== 'L2OutputOracle').map((n) => upgrade(n, initData[n as keyof typeof initData])),
  )
  const startBlock = await client.readContract({
    address: plan.proxies.SystemConfig,
    abi: readerAbi,
    functionName: 'startBlock',
  })
  const l1Genesis = await client.getBlock({ blockNumber: startBlock })
  if (uninitialized.includes('L2OutputOracle'))
    await sendAll([
      upgrade('L2OutputOracle', l2OutputOracleInitializeCalldata(config, plan, artifacts, l1Genesis.timestamp)),
    ])
  if (transferOwner) {
    const owner = await client.readContract({ address: plan.proxyAdmin, abi: proxyAdminAbi, functionName: 'owner' })
    if (owner === account.address)
      await sendAll([
        {
          label: `transfer ProxyAdmin to ${plan.roles.proxyAdminOwner}`,
          to: plan.proxyAdmin,
          data: encodeFunctionData({
            abi: proxyAdminAbi,
            functionName: 'transferOwnership',
            args: [plan.roles.proxyAdminOwner],
          }),
        },
      ])
  }
  const l2GenesisTime = await client.readContract({
    address: plan.proxies.L2OutputOracle,
    abi: readerAbi,
    functionName: 'startingTimestamp',
  })
  const systemConfig = await readSystemConfig(client, plan.proxies.SystemConfig)

  const { deployerKey: _secret, ...publicConfig } = config
  return {
    l1ChainId: chainId,
    l2ChainId: config.l2ChainId,
    deployer: account.address,
    contracts: { ...plan.proxies, ProxyAdmin: plan.proxyAdmin, OPEN: plan.open },
    implementations: plan.implementations,
    roles: { ...plan.roles, batcher: config.batcher, proposer: config.proposer },
    l1Genesis: blockRef(l1Genesis),
    l2GenesisTime: Number(l2GenesisTime),
    systemConfig,
    config: publicConfig,
    transactions: step,
    durationMs: Math.round(performance.now() - started),
  }
}

async function readSystemConfig(client: PublicClient, address: Address): Promise<L1Deployment['systemConfig']> {
  const [batcherHash, overhead, scalar, gasLimit] = await Promise.all([
    client.readContract({ address, abi: readerAbi, functionName: 'batcherHash' }),
    client.readContract({ address, abi: readerAbi, functionName: 'overhead' }),
    client.readContract({ address, abi: readerAbi, functionName: 'scalar' }),
    client.readContract({ address, abi: readerAbi, functionName: 'gasLimit' }),
  ])
  return {
    batcherAddr: getAddress(`0x${batcherHash.slice(-40)}`),
    overhead: numberToHex(overhead, { size: 32 }),
    scalar: numberToHex(scalar, { size: 32 }),
    gasLimit,
  }
}

function blockRef(block: Block): L1BlockRef {
  return {
    hash: block.hash!,
    number: Number(block.number),
    parentHash: block.parentHash,
    timestamp: Number(block.timestamp),
  }
}
