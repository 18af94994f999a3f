import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  BEACON_ROOTS_ADDRESS,
  BEACON_ROOTS_CODE,
  BEACON_ROOTS_SENDER,
  blockHash,
  CREATE2_DEPLOYER_ADDRESS,
  CREATE2_DEPLOYER_CODE,
  codeNamespaceAddress,
  EIP1967_ADMIN_SLOT,
  EIP1967_IMPLEMENTATION_SLOT,
  MULTICALL3_ADDRESS,
  MULTICALL3_CODE,
  predeploys,
} from '@opl/protocol'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  pad,
  parseAbi,
  parseEther,
  toHex,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { devAccounts } from './accounts.js'
import { type Anvil, startAnvil } from './anvil.js'
import { artifactSemver, bedrockRoot, readBedrockArtifact } from './bedrock-artifacts.js'
import { deployL1, type L1Deployment } from './deploy/deploy.js'
import { buildDevnetGenesis, DEV_ACCOUNT_BALANCE, type DevnetGenesis, devAccountAddresses } from './l2-genesis.js'
import { freePort } from './ports.js'

const accounts = devAccounts()
const dir = mkdtempSync(join(tmpdir(), 'opl-genesis-'))
let l1Anvil: Anvil
let l2Anvil: Anvil
let l2: PublicClient
let deployment: L1Deployment
let built: DevnetGenesis

const read = <T>(address: Address, signature: string, args: unknown[] = []) =>
  l2.readContract({
    address,
    abi: parseAbi([signature]),
    functionName: signature.split(/[ (]/)[1]!,
    args,
  }) as Promise<T>
const word = (value: Address | bigint) => pad(toHex(BigInt(value)), { size: 32 })

beforeAll(async () => {
  l1Anvil = await startAnvil({ port: await freePort(), chainId: 900 })
  deployment = await deployL1({
    l1Rpc: l1Anvil.rpc,
    deployerKey: accounts.deployer.privateKey,
    l2ChainId: 901,
    batcher: accounts.batcher.address,
    proposer: accounts.proposer.address,
    submissionInterval: 10,
    finalizationPeriodSeconds: 12,
  })
  built = await buildDevnetGenesis(deployment, { seqWindowSize: 200, channelTimeout: 120 })
  console.log(
    `L2 genesis built in ${built.buildMs} ms: ${built.genesis.alloc.size} accounts, state root ${built.genesis.stateRoot}, hash ${built.genesis.hash}`,
  )
  const file = join(dir, 'genesis.json')
  writeFileSync(file, JSON.stringify(built.genesis.genesis))
  // anvil adds its own dev accounts and CREATE2 factory unless told not to; Cancun = Ecotone/Granite's EVM.
  l2Anvil = await startAnvil({
    port: await freePort(),
    chainId: 901,
    init: file,
    hardfork: 'cancun',
    args: ['--accounts', '0', '--no-create2'],
  })
  l2 = createPublicClient({ transport: http(l2Anvil.rpc) })
}, 120_000)
afterAll(async () => {
  await Promise.all([l1Anvil?.stop(), l2Anvil?.stop()])
  rmSync(dir, { recursive: true, force: true })
})

describe('differential: anvil --init with our genesis.json', () => {
  test('anvil holds the state root we computed', async () => {
    // anvil reports the empty-trie root in its genesis header; the root of its account trie is the hash of the first
    // node of any account proof, and it is what the next block's header carries.
    const proof = await l2.getProof({ address: predeploys.L2ToL1MessagePasser, storageKeys: [], blockNumber: 0n })
    expect(keccak256(proof.accountProof[0]!)).toBe(built.genesis.stateRoot)
    await l2.request({ method: 'evm_mine' as never })
    const block1 = await l2.getBlock({ blockNumber: 1n })
    expect(block1.stateRoot).toBe(built.genesis.stateRoot)
  })

  test('our header encoding gives anvil block 0 hash, and our header agrees with it on every field anvil honours', async () => {
    const block0 = await l2.getBlock({ blockNumber: 0n })
    const asAnvilBuiltIt = {
      ...built.genesis.header,
      stateRoot: block0.stateRoot,
      extraData: block0.extraData,
    }
    expect(blockHash(asAnvilBuiltIt)).toBe(block0.hash)
    const ours = built.genesis.header
    expect({
      parentHash: block0.parentHash,
      miner: block0.miner,
      gasLimit: block0.gasLimit,
      timestamp: block0.timestamp,
      baseFeePerGas: block0.baseFeePerGas,
      withdrawalsRoot: block0.withdrawalsRoot,
      blobGasUsed: block0.blobGasUsed,
      excessBlobGas: block0.excessBlobGas,
      parentBeaconBlockRoot: block0.parentBeaconBlockRoot,
      mixHash: block0.mixHash,
      nonce: block0.nonce,
    }).toEqual({
      parentHash: ours.parentHash,
      miner: ours.miner.toLowerCase(),
      gasLimit: ours.gasLimit,
      timestamp: ours.timestamp,
      baseFeePerGas: ours.baseFeePerGas,
      withdrawalsRoot: ours.withdrawalsRoot,
      blobGasUsed: ours.blobGasUsed,
      excessBlobGas: ours.excessBlobGas,
      parentBeaconBlockRoot: ours.parentBeaconBlockRoot,
      mixHash: ours.mixHash,
      nonce: ours.nonce,
    })
    expect(ours.extraData).toBe(toHex('BEDROCK'))
  })
})

describe('predeploys as the reference L2Genesis leaves them', () => {
  test('2048 proxy slots: 2046 proxies administered by 0x4200…0018; WETH and GovernanceToken unproxied', async () => {
    const proxyCode = readBedrockArtifact('Proxy').deployedBytecode
    const proxies = [...built.genesis.alloc].filter(([a]) =>
      a.toLowerCase().startsWith('0x42000000000000000000000000000000000'),
    )
    expect(proxies.filter(([, e]) => e.code === proxyCode)).toHaveLength(2046)
    expect(await l2.getCode({ address: '0x42000000000000000000000000000000000007fF' })).toBe(proxyCode)
    expect(
      await l2.getStorageAt({ address: '0x42000000000000000000000000000000000007fF', slot: EIP1967_ADMIN_SLOT }),
    ).toBe(word(predeploys.ProxyAdmin))
    expect(
      BigInt(
        (await l2.getStorageAt({
          address: '0x42000000000000000000000000000000000007fF',
          slot: EIP1967_IMPLEMENTATION_SLOT,
        })) ?? '0x0',
      ),
    ).toBe(0n)
    expect(await l2.getCode({ address: predeploys.GovernanceToken })).toBeUndefined()
    expect(await l2.getCode({ address: predeploys.WETH })).toBe(readBedrockArtifact('WETH').deployedBytecode)
  })

  test('each supported predeploy points at its 0xc0D3… implementation and reports the artifact version', async () => {
    const names = [
      'LegacyMessagePasser',
      'DeployerWhitelist',
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
    for (const name of names) {
      const impl = codeNamespaceAddress(predeploys[name])
      expect(await l2.getStorageAt({ address: predeploys[name], slot: EIP1967_IMPLEMENTATION_SLOT }), name).toBe(
        word(impl),
      )
      expect(await read(predeploys[name], 'function version() view returns (string)'), name).toBe(artifactSemver(name))
    }
    expect(await read(predeploys.WETH, 'function version() view returns (string)')).toBe(artifactSemver('WETH'))
    expect(await read(predeploys.WETH, 'function name() view returns (string)')).toBe('Wrapped Ether')
    expect(await read(predeploys.WETH, 'function symbol() view returns (string)')).toBe('WETH')
  })

  test('messenger and bridges point at their L1 counterparts', async () => {
    const l1 = deployment.contracts
    expect(await read(predeploys.L2CrossDomainMessenger, 'function OTHER_MESSENGER() view returns (address)')).toBe(
      l1.L1CrossDomainMessenger,
    )
    expect(await read(predeploys.L2StandardBridge, 'function MESSENGER() view returns (address)')).toBe(
      predeploys.L2CrossDomainMessenger,
    )
    expect(await read(predeploys.L2StandardBridge, 'function OTHER_BRIDGE() view returns (address)')).toBe(
      l1.L1StandardBridge,
    )
    expect(await read(predeploys.L2ERC721Bridge, 'function OTHER_BRIDGE() view returns (address)')).toBe(
      l1.L1ERC721Bridge,
    )
    expect(await read(predeploys.OptimismMintableERC20Factory, 'function BRIDGE() view returns (address)')).toBe(
      predeploys.L2StandardBridge,
    )
    expect(await read(predeploys.OptimismMintableERC721Factory, 'function BRIDGE() view returns (address)')).toBe(
      predeploys.L2ERC721Bridge,
    )
    expect(
      await read(predeploys.OptimismMintableERC721Factory, 'function REMOTE_CHAIN_ID() view returns (uint256)'),
    ).toBe(900n)
    // The messenger's implementation was initialized too (with a zero L1 messenger), as the reference does.
    const cdmImpl = codeNamespaceAddress(predeploys.L2CrossDomainMessenger)
    expect(await l2.getStorageAt({ address: cdmImpl, slot: word(204n) })).toBe(word(0xdeadn))
  })

  test('ProxyAdmin owner, GasPriceOracle forks, fee vault immutables', async () => {
    const owner = deployment.roles.systemOwner
    expect(await read(predeploys.ProxyAdmin, 'function owner() view returns (address)')).toBe(owner)
    expect(await read(codeNamespaceAddress(predeploys.ProxyAdmin), 'function owner() view returns (address)')).toBe(
      owner,
    )
    expect(await read(predeploys.GasPriceOracle, 'function isEcotone() view returns (bool)')).toBe(true)
    expect(await read(predeploys.GasPriceOracle, 'function isFjord() view returns (bool)')).toBe(true)
    for (const vault of [predeploys.SequencerFeeVault, predeploys.BaseFeeVault, predeploys.L1FeeVault]) {
      expect(await read(vault, 'function RECIPIENT() view returns (address)')).toBe(owner)
      expect(await read(vault, 'function MIN_WITHDRAWAL_AMOUNT() view returns (uint256)')).toBe(parseEther('10'))
      expect(await read(vault, 'function WITHDRAWAL_NETWORK() view returns (uint8)')).toBe(0)
    }
  })

  test('initialize reverts on initialized proxies and implementations', async () => {
    const cases = [
      ['L2CrossDomainMessenger', 'function initialize(address)'],
      ['L2StandardBridge', 'function initialize(address)'],
      ['L2ERC721Bridge', 'function initialize(address)'],
      ['OptimismMintableERC20Factory', 'function initialize(address)'],
    ] as const
    for (const [name, signature] of cases)
      for (const address of [predeploys[name], codeNamespaceAddress(predeploys[name])]) {
        const call = l2.simulateContract({
          address,
          abi: parseAbi([signature]),
          functionName: 'initialize',
          args: [accounts.users[0]!.address],
          account: accounts.users[0]!.address,
        })
        await expect(call, `${name} at ${address}`).rejects.toThrow(/already initialized/)
      }
  })

  test('preinstalls, precompile balances, dev accounts', async () => {
    expect(await l2.getCode({ address: MULTICALL3_ADDRESS })).toBe(MULTICALL3_CODE)
    expect(await read(MULTICALL3_ADDRESS, 'function getChainId() view returns (uint256)')).toBe(901n)
    expect(await l2.getCode({ address: CREATE2_DEPLOYER_ADDRESS })).toBe(CREATE2_DEPLOYER_CODE)
    expect(await l2.getCode({ address: BEACON_ROOTS_ADDRESS })).toBe(BEACON_ROOTS_CODE)
    expect(await l2.getTransactionCount({ address: BEACON_ROOTS_SENDER })).toBe(1)
    expect(await l2.getTransactionCount({ address: MULTICALL3_ADDRESS })).toBe(1)
    expect(await l2.getBalance({ address: '0x0000000000000000000000000000000000000001' })).toBe(1n)
    expect(await l2.getBalance({ address: '0x00000000000000000000000000000000000000fF' })).toBe(1n)
    const dev = devAccountAddresses()
    expect(dev).toHaveLength(30)
    expect(await l2.getBalance({ address: dev[29]! })).toBe(DEV_ACCOUNT_BALANCE)
  })

  test('the preinstall bytecode constants are the ones in contracts-bedrock 0.17.3 Preinstalls.sol', () => {
    const source = readFileSync(join(bedrockRoot(), 'src/libraries/Preinstalls.sol'), 'utf8')
    const constant = (name: string) => `0x${new RegExp(`${name}Code =\\s*hex"([0-9a-fA-F]+)"`).exec(source)![1]}`
    expect(MULTICALL3_CODE).toBe(constant('MultiCall3'))
    expect(CREATE2_DEPLOYER_CODE).toBe(constant('Create2Deployer'))
    expect(BEACON_ROOTS_CODE).toBe(constant('BeaconBlockRoots'))
  })
})

describe('immutables patched as a real constructor would set them', () => {
  test('fee vaults, ERC721 factory and EAS equal code deployed with the same constructor arguments', async () => {
    const wallet = createWalletClient({
      account: privateKeyToAccount(accounts.users[4]!.privateKey),
      transport: http(l2Anvil.rpc),
    })
    const deploy = async (name: string, args: unknown[]) => {
      const a = readBedrockArtifact(name)
      const hash = await wallet.deployContract({ abi: a.abi, bytecode: a.bytecode, args, chain: null })
      const receipt = await l2.waitForTransactionReceipt({ hash, pollingInterval: 50 })
      return (await l2.getCode({ address: receipt.contractAddress! }))!
    }
    const genesisCode = (predeploy: Address) => built.genesis.alloc.get(codeNamespaceAddress(predeploy))!.code
    const owner = deployment.roles.systemOwner
    for (const name of ['SequencerFeeVault', 'BaseFeeVault', 'L1FeeVault'] as const)
      expect(await deploy(name, [owner, parseEther('10'), 0]), name).toBe(genesisCode(predeploys[name]))
    expect(await deploy('OptimismMintableERC721Factory', [predeploys.L2ERC721Bridge, 900n])).toBe(
      genesisCode(predeploys.OptimismMintableERC721Factory),
    )
    // EAS caches `address(this)` and the domain separator built from it: those two differ by design (see alloc.ts).
    const eas = readBedrockArtifact('EAS')
    const deployed = await deploy('EAS', [])
    const ours = genesisCode(predeploys.EAS)!
    const mask = (code: Hex) => {
      const bytes = Buffer.from(code.slice(2), 'hex')
      for (const id of ['1011', '1015'])
        for (const r of eas.immutableReferences[id]!) bytes.fill(0, r.start, r.start + 32)
      return toHex(bytes)
    }
    expect(mask(deployed)).toBe(mask(ours))
    expect(deployed).not.toBe(ours)
    const separator = keccak256(
      encodeAbiParameters(
        [{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'uint256' }, { type: 'address' }],
        [
          keccak256(toHex('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)')),
          keccak256(toHex('EAS')),
          keccak256(toHex('1.3.0')),
          901n,
          predeploys.EAS,
        ],
      ),
    )
    expect(await read(predeploys.EAS, 'function getDomainSeparator() view returns (bytes32)')).toBe(separator)
  })
})

describe('rollup.json', () => {
  test('names the L1 genesis block, the L2 genesis hash and the deployed contracts', () => {
    const { rollup } = built
    expect(rollup.genesis.l1).toEqual({ hash: deployment.l1Genesis.hash, number: BigInt(deployment.l1Genesis.number) })
    expect(rollup.genesis.l2).toEqual({ hash: built.genesis.hash, number: 0n })
    expect(rollup.genesis.l2Time).toBe(BigInt(deployment.l2GenesisTime))
    expect(rollup.genesis.systemConfig.batcherAddr).toBe(accounts.batcher.address)
    expect(rollup.genesis.systemConfig.scalar).toBe(pad(toHex((1n << 248n) | (810_949n << 32n) | 1368n), { size: 32 }))
    expect(rollup.depositContractAddress).toBe(deployment.contracts.OptimismPortal)
    expect(rollup.l1SystemConfigAddress).toBe(deployment.contracts.SystemConfig)
    expect(rollup.batchInboxAddress).toBe('0xFf00000000000000000000000000000000000901')
    expect(rollup.forkTimes).toEqual({ regolith: 0n, canyon: 0n, delta: 0n, ecotone: 0n, fjord: 0n, granite: 0n })
  })
})
