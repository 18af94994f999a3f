import { EIP1967_ADMIN_SLOT, EIP1967_IMPLEMENTATION_SLOT } from '@opl/protocol'
import {
  type AbiParameter,
  type Address,
  createPublicClient,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  pad,
  parseAbi,
  zeroAddress,
} from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { devAccounts } from '../accounts.js'
import { type Anvil, startAnvil } from '../anvil.js'
import { artifactSemver } from '../bedrock-artifacts.js'
import { freePort } from '../ports.js'
import { readDeployArtifacts } from './artifacts.js'
import { DeployConfigError, type DeployConfigInput, parseDeployConfig } from './config.js'
import { deployL1, type L1Deployment } from './deploy.js'
import { DeployError } from './errors.js'
import { DEFAULT_RESOURCE_CONFIG, ETHER, PROXIED_L1_CONTRACTS, planDeployment } from './plan.js'

const accounts = devAccounts()
const artifacts = readDeployArtifacts()
let anvil: Anvil
let l1: PublicClient
let deployment: L1Deployment
let config: DeployConfigInput

/** Zeroes the immutable ranges so code compares to the artifact whatever the constructor arguments were. */
function maskImmutables(code: Hex, refs: Record<string, { start: number; length: number }[]>): Hex {
  const bytes = Buffer.from(code.slice(2), 'hex')
  for (const ranges of Object.values(refs)) for (const { start, length } of ranges) bytes.fill(0, start, start + length)
  return `0x${bytes.toString('hex')}`
}

/** Length and hash: a readable stand-in for kilobytes of bytecode in assertion messages. */
const codeId = (code: Hex | undefined) => (code ? `${(code.length - 2) / 2} bytes ${keccak256(code)}` : 'no code')

const read = <T>(address: Address, signature: string, args: unknown[] = []) =>
  l1.readContract({
    address,
    abi: parseAbi([signature]),
    functionName: signature.split(/[ (]/)[1]!,
    args,
  }) as Promise<T>

beforeAll(async () => {
  anvil = await startAnvil({ port: await freePort(), chainId: 900 })
  l1 = createPublicClient({ transport: http(anvil.rpc) })
  config = {
    l1Rpc: anvil.rpc,
    l1ChainId: 900,
    deployerKey: accounts.deployer.privateKey,
    l2ChainId: 901,
    batcher: accounts.batcher.address,
    proposer: accounts.proposer.address,
    challenger: accounts.users[0]!.address,
    guardian: accounts.users[1]!.address,
    unsafeBlockSigner: accounts.sequencer.address,
    submissionInterval: 10,
    finalizationPeriodSeconds: 12,
  }
  deployment = await deployL1(config)
  expect(deployment.transactions).toBe(26)
  console.log(`L1 deploy on a fresh anvil: ${deployment.durationMs} ms, ${deployment.transactions} transactions`)
}, 120_000)
afterAll(() => anvil?.stop())

describe('deployed code', () => {
  test('every implementation runs the artifact deployedBytecode (immutables masked)', async () => {
    for (const name of PROXIED_L1_CONTRACTS) {
      const a = artifacts[name]
      const code = await l1.getCode({ address: deployment.implementations[name] })
      expect(codeId(maskImmutables(code!, a.immutableReferences)), name).toBe(
        codeId(maskImmutables(a.deployedBytecode, a.immutableReferences)),
      )
    }
    expect(codeId(await l1.getCode({ address: deployment.contracts.ProxyAdmin }))).toBe(
      codeId(artifacts.ProxyAdmin.deployedBytecode),
    )
    const open = artifacts.OPEN
    const openCode = await l1.getCode({ address: deployment.contracts.OPEN })
    expect(Object.keys(open.immutableReferences ?? {}).length).toBeGreaterThan(0)
    expect(codeId(maskImmutables(openCode!, open.immutableReferences ?? {}))).toBe(
      codeId(maskImmutables(open.deployedBytecode, open.immutableReferences ?? {})),
    )
  })

  test('every proxy is the unmodified Proxy, administered by ProxyAdmin, pointing at its implementation', async () => {
    const admin = deployment.contracts.ProxyAdmin
    for (const name of PROXIED_L1_CONTRACTS) {
      const proxy = deployment.contracts[name]
      expect(await l1.getCode({ address: proxy })).toBe(artifacts.Proxy.deployedBytecode)
      const slot = await l1.getStorageAt({ address: proxy, slot: EIP1967_IMPLEMENTATION_SLOT })
      expect(slot).toBe(pad(deployment.implementations[name].toLowerCase() as Hex, { size: 32 }))
      expect(await l1.getStorageAt({ address: proxy, slot: EIP1967_ADMIN_SLOT })).toBe(
        pad(admin.toLowerCase() as Hex, { size: 32 }),
      )
      expect(
        await read<Address>(admin, 'function getProxyImplementation(address) view returns (address)', [proxy]),
      ).toBe(deployment.implementations[name])
    }
    expect(await read<Address>(admin, 'function owner() view returns (address)')).toBe(accounts.deployer.address)
  })

  test('version() through each proxy is the semver the artifact documents', async () => {
    const versions: Record<string, string> = {}
    for (const name of PROXIED_L1_CONTRACTS) {
      versions[name] = await read<string>(deployment.contracts[name], 'function version() view returns (string)')
      expect(versions[name], name).toBe(artifactSemver(name))
    }
    expect(versions.OptimismPortal).toBe('2.8.1-beta.1')
    expect(versions.L2OutputOracle).toBe('1.8.0')
  })
})

describe('initialized values', () => {
  test('SystemConfig holds the rollup parameters, and its start block is the L1 genesis', async () => {
    const sc = deployment.contracts.SystemConfig
    expect(await read(sc, 'function owner() view returns (address)')).toBe(accounts.deployer.address)
    expect(await read(sc, 'function batcherHash() view returns (bytes32)')).toBe(
      pad(accounts.batcher.address.toLowerCase() as Hex, { size: 32 }),
    )
    expect(await read(sc, 'function gasLimit() view returns (uint64)')).toBe(30_000_000n)
    expect(await read(sc, 'function basefeeScalar() view returns (uint32)')).toBe(1368)
    expect(await read(sc, 'function blobbasefeeScalar() view returns (uint32)')).toBe(810_949)
    expect(await read(sc, 'function unsafeBlockSigner() view returns (address)')).toBe(accounts.sequencer.address)
    expect(await read(sc, 'function batchInbox() view returns (address)')).toBe(
      '0xFf00000000000000000000000000000000000901',
    )
    expect(await read(sc, 'function optimismPortal() view returns (address)')).toBe(deployment.contracts.OptimismPortal)
    expect(await read(sc, 'function l1CrossDomainMessenger() view returns (address)')).toBe(
      deployment.contracts.L1CrossDomainMessenger,
    )
    expect(await read(sc, 'function l1StandardBridge() view returns (address)')).toBe(
      deployment.contracts.L1StandardBridge,
    )
    expect(await read(sc, 'function l1ERC721Bridge() view returns (address)')).toBe(deployment.contracts.L1ERC721Bridge)
    expect(await read(sc, 'function optimismMintableERC20Factory() view returns (address)')).toBe(
      deployment.contracts.OptimismMintableERC20Factory,
    )
    expect(await read(sc, 'function disputeGameFactory() view returns (address)')).toBe(zeroAddress)
    expect(await read(sc, 'function isCustomGasToken() view returns (bool)')).toBe(false)
    const [token] = await read<[Address, number]>(sc, 'function gasPayingToken() view returns (address, uint8)')
    expect(token).toBe(ETHER)
    const resource = await read<Record<string, bigint | number>>(
      sc,
      'function resourceConfig() view returns ((uint32 maxResourceLimit, uint8 elasticityMultiplier, uint8 baseFeeMaxChangeDenominator, uint32 minimumBaseFee, uint32 systemTxMaxGas, uint128 maximumBaseFee))',
    )
    expect(resource).toEqual(DEFAULT_RESOURCE_CONFIG)
    expect(await read(sc, 'function startBlock() view returns (uint256)')).toBe(BigInt(deployment.l1Genesis.number))
    const block = await l1.getBlock({ blockNumber: BigInt(deployment.l1Genesis.number) })
    expect(block.hash).toBe(deployment.l1Genesis.hash)
    expect(Number(block.timestamp)).toBe(deployment.l2GenesisTime)
  })

  test('L2OutputOracle starts at L2 genesis with the devnet cadence', async () => {
    const oo = deployment.contracts.L2OutputOracle
    expect(await read(oo, 'function SUBMISSION_INTERVAL() view returns (uint256)')).toBe(10n)
    expect(await read(oo, 'function L2_BLOCK_TIME() view returns (uint256)')).toBe(2n)
    expect(await read(oo, 'function startingBlockNumber() view returns (uint256)')).toBe(0n)
    expect(await read(oo, 'function startingTimestamp() view returns (uint256)')).toBe(BigInt(deployment.l2GenesisTime))
    expect(await read(oo, 'function PROPOSER() view returns (address)')).toBe(accounts.proposer.address)
    expect(await read(oo, 'function CHALLENGER() view returns (address)')).toBe(accounts.users[0]!.address)
    expect(await read(oo, 'function FINALIZATION_PERIOD_SECONDS() view returns (uint256)')).toBe(12n)
    expect(await read(oo, 'function nextBlockNumber() view returns (uint256)')).toBe(10n)
  })

  test('portal, messenger, bridges, factory and SuperchainConfig point at each other and at the L2 predeploys', async () => {
    const c = deployment.contracts
    expect(await read(c.OptimismPortal, 'function l2Oracle() view returns (address)')).toBe(c.L2OutputOracle)
    expect(await read(c.OptimismPortal, 'function systemConfig() view returns (address)')).toBe(c.SystemConfig)
    expect(await read(c.OptimismPortal, 'function superchainConfig() view returns (address)')).toBe(c.SuperchainConfig)
    expect(await read(c.OptimismPortal, 'function l2Sender() view returns (address)')).toBe(
      '0x000000000000000000000000000000000000dEaD',
    )
    expect(await read(c.OptimismPortal, 'function paused() view returns (bool)')).toBe(false)
    expect(await read(c.L1CrossDomainMessenger, 'function PORTAL() view returns (address)')).toBe(c.OptimismPortal)
    expect(await read(c.L1CrossDomainMessenger, 'function OTHER_MESSENGER() view returns (address)')).toBe(
      '0x4200000000000000000000000000000000000007',
    )
    expect(await read(c.L1CrossDomainMessenger, 'function systemConfig() view returns (address)')).toBe(c.SystemConfig)
    expect(await read(c.L1StandardBridge, 'function MESSENGER() view returns (address)')).toBe(c.L1CrossDomainMessenger)
    expect(await read(c.L1StandardBridge, 'function OTHER_BRIDGE() view returns (address)')).toBe(
      '0x4200000000000000000000000000000000000010',
    )
    expect(await read(c.L1StandardBridge, 'function superchainConfig() view returns (address)')).toBe(
      c.SuperchainConfig,
    )
    expect(await read(c.L1ERC721Bridge, 'function OTHER_BRIDGE() view returns (address)')).toBe(
      '0x4200000000000000000000000000000000000014',
    )
    expect(await read(c.OptimismMintableERC20Factory, 'function BRIDGE() view returns (address)')).toBe(
      c.L1StandardBridge,
    )
    expect(await read(c.SuperchainConfig, 'function guardian() view returns (address)')).toBe(
      accounts.users[1]!.address,
    )
    expect(await read(c.SuperchainConfig, 'function paused() view returns (bool)')).toBe(false)
  })

  test('OPEN holds the fixed supply at the holder', async () => {
    const open = deployment.contracts.OPEN
    expect(await read(open, 'function totalSupply() view returns (uint256)')).toBe(10n ** 27n)
    expect(await read(open, 'function balanceOf(address) view returns (uint256)', [accounts.deployer.address])).toBe(
      10n ** 27n,
    )
    expect(await read(open, 'function symbol() view returns (string)')).toBe('OPEN')
  })
})

describe('re-initialization', () => {
  test('initialize reverts on every proxy and every implementation', async () => {
    for (const name of PROXIED_L1_CONTRACTS) {
      const abi = artifacts[name].abi
      const init = abi.find((f) => f.type === 'function' && f.name === 'initialize')
      if (init?.type !== 'function') throw new Error(`no initialize in ${name}`)
      const args = init.inputs.map((i) => (i.type === 'tuple' ? tupleZero(i) : zeroOf(i.type)))
      for (const address of [deployment.contracts[name], deployment.implementations[name]]) {
        const call = l1.simulateContract({
          address,
          abi,
          functionName: 'initialize',
          args,
          account: accounts.deployer.address,
        })
        await expect(call, `${name} at ${address}`).rejects.toThrow(/already initialized/)
      }
    }
  })

  test('a second run finds everything in place and sends nothing', async () => {
    const again = await deployL1(config)
    expect(again.transactions).toBe(0)
    expect(again.contracts).toEqual(deployment.contracts)
    expect(again.l1Genesis).toEqual(deployment.l1Genesis)
  })
})

function zeroOf(type: string): unknown {
  if (type === 'address') return zeroAddress
  if (type === 'bool') return false
  if (type.startsWith('bytes')) return pad('0x', { size: 32 })
  return 0n
}

function tupleZero(param: AbiParameter): Record<string, unknown> {
  const components = 'components' in param ? param.components : []
  return Object.fromEntries(components.map((c) => [c.name, zeroOf(c.type)]))
}

describe('determinism', () => {
  test('addresses depend only on config salt and deployer', () => {
    const parsed = parseDeployConfig(config)
    const a = planDeployment(parsed, accounts.deployer.address, artifacts)
    expect({ ...a.proxies, ProxyAdmin: a.proxyAdmin, OPEN: a.open }).toEqual(deployment.contracts)
    const otherSalt = planDeployment({ ...parsed, salt: 'other' }, accounts.deployer.address, artifacts)
    const otherDeployer = planDeployment(parsed, accounts.users[2]!.address, artifacts)
    expect(otherSalt.proxies.OptimismPortal).not.toBe(a.proxies.OptimismPortal)
    expect(otherDeployer.proxies.OptimismPortal).not.toBe(a.proxies.OptimismPortal)
  })
})

describe('bad config fails fast, naming the problem', () => {
  test('a missing key', async () => {
    const { deployerKey: _, ...rest } = config
    await expect(deployL1(rest as DeployConfigInput)).rejects.toThrow(/deployerKey is required/)
  })

  test('a malformed address', () => {
    expect(() => parseDeployConfig({ ...config, batcher: '0x1234' })).toThrow(DeployConfigError)
    expect(() => parseDeployConfig({ ...config, batcher: '0x1234' })).toThrow(/batcher is not a 20-byte hex address/)
  })

  test('an unreachable L1', async () => {
    const port = await freePort()
    const started = performance.now()
    const error = await deployL1({ ...config, l1Rpc: `http://127.0.0.1:${port}` }).catch((e: unknown) => e)
    console.log(`unreachable L1 reported after ${Math.round(performance.now() - started)} ms`)
    expect(error).toBeInstanceOf(DeployError)
    expect((error as DeployError).message).toMatch(new RegExp(`L1 unreachable at http://127.0.0.1:${port}`))
    expect((error as DeployError).details.field).toBe('l1Rpc')
  })

  test('an L1 with another chain id', async () => {
    await expect(deployL1({ ...config, l1ChainId: 1 })).rejects.toThrow(/has chain id 900, config says 1/)
  })

  test('a deployer with no ETH', async () => {
    const key = `0x${'42'.repeat(32)}` as Hex
    await expect(deployL1({ ...config, deployerKey: key, salt: 'poor' })).rejects.toThrow(/has no ETH on L1 900/)
  })
})
