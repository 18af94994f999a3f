import { type Address, getAddress, type Hex, pad, toHex } from 'viem'
import { beforeAll, expect, test } from 'vitest'
import { GENESIS_ARTIFACT_NAMES, type GenesisArtifacts } from './artifacts.js'
import type { L2GenesisConfigInput } from './config.js'
import { GenesisError } from './errors.js'
import { buildL2Genesis, type L2Genesis, parseL2GenesisConfig } from './genesis.js'
import {
  codeNamespaceAddress,
  EIP1967_ADMIN_SLOT,
  EIP1967_IMPLEMENTATION_SLOT,
  predeployAddress,
  predeploys,
} from './predeploys.js'
import { BEACON_ROOTS_SENDER, MULTICALL3_ADDRESS } from './preinstalls.js'
import { EMPTY_TRIE_ROOT, stateRoot } from './state-root.js'
import type { StorageLayout } from './storage-layout.js'

const types: StorageLayout['types'] = {
  t_address: { encoding: 'inplace', label: 'address', numberOfBytes: '20' },
  t_uint8: { encoding: 'inplace', label: 'uint8', numberOfBytes: '1' },
  t_bool: { encoding: 'inplace', label: 'bool', numberOfBytes: '1' },
}
const v = (label: string, slot: number, offset: number, type: string) => ({ label, slot: String(slot), offset, type })
const initializable = [v('_initialized', 0, 0, 't_uint8'), v('_initializing', 0, 1, 't_bool')]
/** Only the variables the builder writes; the real layouts come from the artifacts (devnet tests use those). */
const layouts: Partial<Record<string, StorageLayout['storage']>> = {
  L2CrossDomainMessenger: [
    v('_initialized', 0, 20, 't_uint8'),
    v('xDomainMsgSender', 204, 0, 't_address'),
    v('otherMessenger', 207, 0, 't_address'),
  ],
  L2StandardBridge: [...initializable, v('messenger', 3, 0, 't_address'), v('otherBridge', 4, 0, 't_address')],
  L2ERC721Bridge: [...initializable, v('messenger', 1, 0, 't_address'), v('otherBridge', 2, 0, 't_address')],
  OptimismMintableERC20Factory: [...initializable, v('bridge', 1, 0, 't_address')],
  ProxyAdmin: [v('_owner', 0, 0, 't_address')],
  GasPriceOracle: [v('isEcotone', 0, 0, 't_bool'), v('isFjord', 0, 1, 't_bool')],
}
const immutables: Partial<Record<string, string[]>> = {
  SequencerFeeVault: ['RECIPIENT', 'MIN_WITHDRAWAL_AMOUNT', 'WITHDRAWAL_NETWORK'],
  BaseFeeVault: ['RECIPIENT', 'MIN_WITHDRAWAL_AMOUNT', 'WITHDRAWAL_NETWORK'],
  L1FeeVault: ['RECIPIENT', 'MIN_WITHDRAWAL_AMOUNT', 'WITHDRAWAL_NETWORK'],
  OptimismMintableERC721Factory: ['BRIDGE', 'REMOTE_CHAIN_ID'],
  EAS: [
    '_CACHED_DOMAIN_SEPARATOR',
    '_CACHED_CHAIN_ID',
    '_CACHED_THIS',
    '_HASHED_NAME',
    '_HASHED_VERSION',
    '_TYPE_HASH',
    '_name',
  ],
}

/** Stand-in artifacts: distinct code per contract, one 32-byte hole per immutable. */
const artifacts = Object.fromEntries(
  GENESIS_ARTIFACT_NAMES.map((name, i) => {
    const names = immutables[name] ?? []
    return [
      name,
      {
        deployedBytecode: `0x${toHex(i + 1, { size: 2 }).slice(2)}${'00'.repeat(32 * names.length)}` as Hex,
        immutableReferences: Object.fromEntries(names.map((_, j) => [String(j), [{ start: 2 + 32 * j, length: 32 }]])),
        immutableNames: Object.fromEntries(names.map((n, j) => [String(j), n])),
        storageLayout: { storage: layouts[name] ?? [], types },
      },
    ]
  }),
) as GenesisArtifacts

const l1Messenger = getAddress(`0x${'11'.repeat(20)}`)
const input: L2GenesisConfigInput = {
  l1ChainId: 900,
  l2ChainId: 901,
  timestamp: 1_700_000_000,
  l1: {
    L1CrossDomainMessenger: l1Messenger,
    L1StandardBridge: `0x${'22'.repeat(20)}`,
    L1ERC721Bridge: `0x${'33'.repeat(20)}`,
  },
  proxyAdminOwner: `0x${'44'.repeat(20)}`,
  feeVaults: {
    sequencer: { recipient: `0x${'55'.repeat(20)}` },
    base: { recipient: `0x${'55'.repeat(20)}` },
    l1: { recipient: `0x${'55'.repeat(20)}`, withdrawalNetwork: 'L2' },
  },
  fundedAccounts: [{ address: `0x${'66'.repeat(20)}`, balance: 10n ** 22n }],
}
const word = (value: Address | bigint) => pad(toHex(BigInt(value)), { size: 32 })
let built: L2Genesis

beforeAll(async () => {
  built = await buildL2Genesis(input, artifacts)
}, 60_000)

test('2046 proxies in 0x4200…0000–07FF, admin 0x4200…0018, implementations only for supported predeploys', () => {
  const proxyCode = artifacts.Proxy.deployedBytecode
  const proxies = [...built.alloc.values()].filter((a) => a.code === proxyCode)
  expect(proxies).toHaveLength(2046)
  for (const a of proxies) expect(a.storage[EIP1967_ADMIN_SLOT]).toBe(word(predeploys.ProxyAdmin))
  expect(built.alloc.get(predeployAddress(0x7ff))?.storage[EIP1967_IMPLEMENTATION_SLOT]).toBeUndefined()
  expect(built.alloc.get(predeploys.L1Block)?.storage[EIP1967_IMPLEMENTATION_SLOT]).toBe(
    word(getAddress('0xc0d3c0d3c0d3c0d3c0d3c0d3c0d3c0d3c0d30015')),
  )
  expect(built.alloc.get(predeploys.WETH)?.code).toBe(artifacts.WETH.deployedBytecode)
  expect(built.alloc.has(predeploys.GovernanceToken)).toBe(false)
  expect(built.alloc.get(codeNamespaceAddress(predeploys.L1Block))?.code).toBe(artifacts.L1Block.deployedBytecode)
})

test('initializer storage on proxies and implementations, as the reference initialize() calls leave it', () => {
  const cdm = built.alloc.get(predeploys.L2CrossDomainMessenger)!.storage
  expect(cdm[word(0n)]).toBe(word(1n << 160n))
  expect(cdm[word(204n)]).toBe(word(0xdeadn))
  expect(cdm[word(207n)]).toBe(word(l1Messenger))
  const cdmImpl = built.alloc.get(codeNamespaceAddress(predeploys.L2CrossDomainMessenger))!.storage
  expect(cdmImpl[word(207n)]).toBeUndefined()
  expect(built.alloc.get(codeNamespaceAddress(predeploys.L2StandardBridge))!.storage[word(3n)]).toBe(
    word(predeploys.L2CrossDomainMessenger),
  )
  expect(built.alloc.get(predeploys.GasPriceOracle)!.storage[word(0n)]).toBe(word(0x0101n))
  expect(built.alloc.get(codeNamespaceAddress(predeploys.ProxyAdmin))!.storage[word(0n)]).toBe(
    word(BigInt(`0x${'44'.repeat(20)}`)),
  )
})

test('fee vault immutables: recipient, minimum, network', () => {
  const code = built.alloc.get(codeNamespaceAddress(predeploys.L1FeeVault))!.code!
  const slot = (j: number) => `0x${code.slice(2 + 4 + 64 * j, 2 + 4 + 64 * (j + 1))}`
  expect(slot(0)).toBe(word(BigInt(`0x${'55'.repeat(20)}`)))
  expect(slot(1)).toBe(word(10n ** 19n))
  expect(slot(2)).toBe(word(1n))
})

test('precompile, preinstall and funded balances and nonces', () => {
  expect(built.alloc.get(predeployAddress(0).replace('0x42', '0x00') as Address)?.balance).toBe(1n)
  expect(built.alloc.get(getAddress(pad('0xff', { size: 20 })))?.balance).toBe(1n)
  expect(built.alloc.get(MULTICALL3_ADDRESS)?.nonce).toBe(1n)
  expect(built.alloc.get(BEACON_ROOTS_SENDER)).toEqual({ nonce: 1n, balance: 0n, storage: {} })
  expect(built.alloc.get(getAddress(`0x${'66'.repeat(20)}`))?.balance).toBe(10n ** 22n)
})

test('genesis.json carries the OP fork times and Cancun header fields; the hash follows the state', async () => {
  const { genesis, header } = built
  expect(genesis.config).toMatchObject({ chainId: 901, cancunTime: 0, ecotoneTime: 0, graniteTime: 0, bedrockBlock: 0 })
  expect(genesis.coinbase).toBe(predeploys.SequencerFeeVault)
  expect(genesis.extraData).toBe(toHex('BEDROCK'))
  expect(header.withdrawalsRoot).toBe(EMPTY_TRIE_ROOT)
  expect(header.parentBeaconBlockRoot).toBe(pad('0x', { size: 32 }))
  expect(header.stateRoot).toBe(await stateRoot(built.alloc))
  const again = await buildL2Genesis(input, artifacts)
  expect(again.hash).toBe(built.hash)
  const other = await buildL2Genesis({ ...input, fundedAccounts: [] }, artifacts)
  expect(other.hash).not.toBe(built.hash)
  expect(await stateRoot(new Map())).toBe(EMPTY_TRIE_ROOT)
}, 60_000)

test('bad config is refused with the field named', async () => {
  const broken = { ...input, l1: { ...input.l1, L1StandardBridge: '0x1234' } }
  expect(() => parseL2GenesisConfig(broken)).toThrow(GenesisError)
  try {
    parseL2GenesisConfig(broken)
  } catch (e) {
    expect((e as GenesisError).details.field).toBe('l1.L1StandardBridge')
  }
  await expect(buildL2Genesis({ ...input, forks: { fjord: input.timestamp + 10 } }, artifacts)).rejects.toThrow(
    /fork fjord is scheduled after genesis/,
  )
  const { Proxy: _, ...missing } = artifacts
  await expect(buildL2Genesis(input, missing as GenesisArtifacts)).rejects.toThrow(/artifact Proxy is missing/)
})
