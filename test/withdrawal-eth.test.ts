/**
 * ETH withdrawals end to end on real contracts and real proofs: L1 = anvil with the bedrock 0.17.3 contracts, L2 =
 * anvil from our L2 genesis (real predeploys), the proposer posting outputs, the relayer proving (eth_getProof via
 * viem's buildProveWithdrawal) and finalizing through the portal. Checked with L1 balances, portal events and viem's
 * getWithdrawalStatus; the relayer's state survives a restart and a fresh relayer sends nothing twice.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  parseAbi,
  parseAbiItem,
  parseEther,
  type TransactionReceipt,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { chainConfig, extractTransactionDepositedLogs, getL2TransactionHash, getWithdrawalStatus } from 'viem/op-stack'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  createRelayerService,
  JsonStore,
  RelayerConfig,
  type RelayerService,
  type WithdrawalRecord,
} from '../packages/bridge-relayer/src/index.js'
import { createProposerService, ProposerConfig, type ProposerService } from '../packages/proposer/src/index.js'
import {
  L1_CHAIN_ID,
  L2_CHAIN_ID,
  mineL2,
  startWithdrawalDevnet,
  type WithdrawalDevnet,
} from '../packages/proposer/src/testing/withdrawal-devnet.js'

const INTERVAL = 4
const L2_STANDARD_BRIDGE = '0x4200000000000000000000000000000000000010'
const LEGACY_ERC20_ETH = '0xDeadDeAddeAddEAddeadDEaDDEAdDeaDDeAD0000'
const l2BridgeAbi = parseAbi([
  'function withdraw(address _l2Token, uint256 _amount, uint32 _minGasLimit, bytes _extraData) payable',
])
const passerAbi = parseAbi(['function initiateWithdrawal(address _target, uint256 _gasLimit, bytes _data) payable'])
const l1BridgeAbi = parseAbi(['function depositETH(uint32 _minGasLimit, bytes _extraData) payable'])

let net: WithdrawalDevnet
let dataDir: string
let proposer: ProposerService
const relayers: RelayerService[] = []
const receipts: Record<'bridge' | 'receive' | 'unlisted', TransactionReceipt> = {} as never
let depositReceipt: TransactionReceipt
const l1Before: Record<string, bigint> = {}

const users = () => net.accounts.users
const l2Chain = () =>
  defineChain({
    ...chainConfig,
    id: L2_CHAIN_ID,
    name: 'opl-test',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [net.l2Anvil.rpc] } },
    sourceId: L1_CHAIN_ID,
    contracts: {
      ...chainConfig.contracts,
      portal: { [L1_CHAIN_ID]: { address: net.deployment.contracts.OptimismPortal } },
      l2OutputOracle: { [L1_CHAIN_ID]: { address: net.deployment.contracts.L2OutputOracle } },
    },
  })

/** viem's status reads batch through Multicall3, which this L1 lacks: deployless multicall needs no contract. */
const viemL1 = () =>
  createPublicClient({ transport: http(net.l1Anvil.rpc), batch: { multicall: { deployless: true } } })

function relayerConfig(dir: string, relay: string) {
  return RelayerConfig.parse({
    l1Rpc: net.l1Anvil.rpc,
    l2Rpc: net.l2Anvil.rpc,
    optimismPortal: net.deployment.contracts.OptimismPortal,
    l2OutputOracle: net.deployment.contracts.L2OutputOracle,
    privateKey: users()[4]!.privateKey,
    relay,
    dataDir: dir,
    pollIntervalMs: 100,
    apiPort: 0,
    logLevel: 'silent',
  })
}

async function relayer(dir = dataDir, relay = `${users()[0]!.address},${users()[1]!.address}`) {
  const service = await createRelayerService(relayerConfig(dir, relay))
  relayers.push(service)
  return service
}

const byTx = (service: RelayerService, receipt: TransactionReceipt): WithdrawalRecord | undefined =>
  Object.values(service.relayer.state.withdrawals).find((w) => w.l2TxHash === receipt.transactionHash)

/** Steps the relayer until `done`; bounded (L1 mines a block a second, the finalization period is 2 s). */
async function stepUntil(service: RelayerService, done: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !done(); i++) {
    await service.relayer.step()
    if (!done()) await new Promise((r) => setTimeout(r, 200))
  }
}

beforeAll(async () => {
  net = await startWithdrawalDevnet({ submissionInterval: INTERVAL, finalizationPeriodSeconds: 2 })
  dataDir = await mkdtemp(join(tmpdir(), 'opl-relayer-'))
  const wallet = (i: number, rpc: string, id: number) =>
    createWalletClient({
      account: privateKeyToAccount(users()[i]!.privateKey),
      chain: defineChain({
        id,
        name: `c${id}`,
        nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 },
        rpcUrls: { default: { http: [rpc] } },
      }),
      transport: http(rpc),
    })
  const l2Wallet = (i: number) => wallet(i, net.l2Anvil.rpc, L2_CHAIN_ID)
  const l2Mined = (hash: Hex) => net.l2.waitForTransactionReceipt({ hash })
  receipts.bridge = await l2Mined(
    await l2Wallet(0).writeContract({
      address: L2_STANDARD_BRIDGE,
      abi: l2BridgeAbi,
      functionName: 'withdraw',
      args: [LEGACY_ERC20_ETH, parseEther('1'), 200_000, '0x'],
      value: parseEther('1'),
    }),
  )
  receipts.receive = await l2Mined(
    await l2Wallet(1).sendTransaction({ to: L2_STANDARD_BRIDGE, value: parseEther('0.5') }),
  )
  receipts.unlisted = await l2Mined(
    await l2Wallet(2).writeContract({
      address: '0x4200000000000000000000000000000000000016',
      abi: passerAbi,
      functionName: 'initiateWithdrawal',
      args: [users()[2]!.address, 100_000n, '0x'],
      value: parseEther('0.25'),
    }),
  )
  depositReceipt = await net.l1.waitForTransactionReceipt({
    hash: await wallet(3, net.l1Anvil.rpc, L1_CHAIN_ID).writeContract({
      address: net.deployment.contracts.L1StandardBridge,
      abi: l1BridgeAbi,
      functionName: 'depositETH',
      args: [200_000, '0x'],
      value: parseEther('2'),
    }),
  })
  for (const u of users()) l1Before[u.address] = await net.l1.getBalance({ address: u.address })
  // Outputs must cover the withdrawals' blocks.
  await mineL2(net.l2, INTERVAL * 2)
  proposer = await createProposerService(
    ProposerConfig.parse({
      l1Rpc: net.l1Anvil.rpc,
      l2Rpc: net.l2Anvil.rpc,
      rollupRpc: net.rollupNode.url,
      l2OutputOracle: net.deployment.contracts.L2OutputOracle,
      privateKey: net.accounts.proposer.privateKey,
      allowNonFinalized: true,
      pollIntervalMs: 100,
      metricsEnabled: false,
      logLevel: 'silent',
    }),
  )
  proposer.proposer.start()
}, 180_000)

afterAll(async () => {
  for (const r of relayers) await r.stop()
  await proposer?.stop()
  await net?.stop()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

describe('ETH withdrawal: L2StandardBridge → proposer → relayer → L1', () => {
  test('the relayer proves and finalizes the listed withdrawals; L1 balances rise by exactly the amounts', async () => {
    const service = await relayer()
    await stepUntil(service, () =>
      [receipts.bridge, receipts.receive].every((r) =>
        ['finalized', 'failed'].includes(byTx(service, r)?.status ?? ''),
      ),
    )
    expect(byTx(service, receipts.bridge)).toMatchObject({
      status: 'finalized',
      relayed: true,
      from: users()[0]!.address,
    })
    expect(byTx(service, receipts.receive)).toMatchObject({ status: 'finalized', relayed: true })
    // The relayer's key pays the L1 gas: the users' L1 balances move by the withdrawn amounts only.
    expect((await net.l1.getBalance({ address: users()[0]!.address })) - l1Before[users()[0]!.address]!).toBe(
      parseEther('1'),
    )
    expect((await net.l1.getBalance({ address: users()[1]!.address })) - l1Before[users()[1]!.address]!).toBe(
      parseEther('0.5'),
    )

    const portal = net.deployment.contracts.OptimismPortal
    const proven = await net.l1.getLogs({
      address: portal,
      event: parseAbiItem(
        'event WithdrawalProven(bytes32 indexed withdrawalHash, address indexed from, address indexed to)',
      ),
      fromBlock: 0n,
    })
    const finalized = await net.l1.getLogs({
      address: portal,
      event: parseAbiItem('event WithdrawalFinalized(bytes32 indexed withdrawalHash, bool success)'),
      fromBlock: 0n,
    })
    const hashes = [byTx(service, receipts.bridge)!, byTx(service, receipts.receive)!].map((w) => w.withdrawalHash)
    expect(proven.map((l) => l.args.withdrawalHash).sort()).toEqual([...hashes].sort())
    expect(finalized.map((l) => [l.args.withdrawalHash, l.args.success]).sort()).toEqual(
      hashes.map((h) => [h, true]).sort(),
    )

    for (const receipt of [receipts.bridge, receipts.receive])
      expect(await getWithdrawalStatus(viemL1(), { receipt, chain: null, targetChain: l2Chain() as never })).toBe(
        'finalized',
      )
  })

  test('a withdrawal from an unlisted account is tracked, not relayed: ready-to-prove for the relayer and for viem', async () => {
    const service = relayers[0]!
    expect(byTx(service, receipts.unlisted)).toMatchObject({ status: 'ready-to-prove', relayed: false })
    expect(
      await getWithdrawalStatus(viemL1(), { receipt: receipts.unlisted, chain: null, targetChain: l2Chain() as never }),
    ).toBe('ready-to-prove')
  })

  test('deposits are tracked with the L2 tx hash viem derives; the HTTP API serves deposits, withdrawals, accounts', async () => {
    const service = relayers[0]!
    const [log] = extractTransactionDepositedLogs({ logs: depositReceipt.logs })
    const api = service.api!.url
    const deposits = (await (await fetch(`${api}/v1/deposits/${depositReceipt.transactionHash}`)).json()) as {
      deposits: { l2TxHash: Hex; status: string }[]
    }
    // L2 here is anvil without derivation: the deposit stays pending; its L2 hash is what op-node would give it.
    expect(deposits.deposits).toMatchObject([{ l2TxHash: getL2TransactionHash({ log: log! }), status: 'pending' }])
    const withdrawals = (await (await fetch(`${api}/v1/withdrawals/${receipts.bridge.transactionHash}`)).json()) as {
      withdrawals: WithdrawalRecord[]
    }
    expect(withdrawals.withdrawals.map((w) => w.status)).toEqual(['finalized'])
    const account = (await (await fetch(`${api}/v1/accounts/${users()[0]!.address}`)).json()) as {
      withdrawals: WithdrawalRecord[]
    }
    expect(account.withdrawals.map((w) => w.l2TxHash)).toEqual([receipts.bridge.transactionHash])
    expect((await fetch(`${api}/v1/withdrawals/0x1234`)).status).toBe(400)
    expect((await fetch(`${api}/v1/withdrawals/0x${'ab'.repeat(32)}`)).status).toBe(404)
    expect((await fetch(`${api}/healthz`)).status).toBe(503) // stepped by hand, the loop never ran
    expect(await (await fetch(`${api}/metrics`)).text()).toMatch(/opl_relayer_withdrawals\{status="finalized"\} 2/)
  })

  test('a tampered withdrawal (value raised) is refused by the portal and reported failed; nothing is sent', async () => {
    const genuine = byTx(relayers[0]!, receipts.unlisted)!
    const dir = join(dataDir, 'tampered')
    // A state holding only the tampered record, cursors past both heads so nothing else is scanned.
    const store = await JsonStore.open(dir, () => ({
      version: 1,
      l1Cursor: '999999999',
      l2Cursor: '999999999',
      deposits: {},
      withdrawals: {
        [genuine.withdrawalHash]: {
          ...genuine,
          relayed: true,
          withdrawal: { ...genuine.withdrawal, value: (BigInt(genuine.withdrawal.value) * 2n).toString() },
        },
      },
    }))
    void store
    const relayerKey = users()[4]!.address
    const nonce = await net.l1.getTransactionCount({ address: relayerKey })
    const service = await relayer(dir, 'all')
    await service.relayer.step()
    const record = service.relayer.state.withdrawals[genuine.withdrawalHash]!
    expect(record.status).toBe('failed')
    // The portal derives the storage key from the fields it is given: the proof of the genuine key does not fit it.
    expect(record.error).toMatch(/MerkleTrie: invalid large internal hash/)
    expect(await net.l1.getTransactionCount({ address: relayerKey })).toBe(nonce)
    await service.relayer.step() // failed is terminal: no retry
    expect(await net.l1.getTransactionCount({ address: relayerKey })).toBe(nonce)
  })

  test('restart: the state file is reloaded, and a fresh relayer reads L1 and sends nothing twice', async () => {
    const relayerKey = users()[4]!.address
    const nonce = await net.l1.getTransactionCount({ address: relayerKey })
    await relayers[0]!.stop()
    const restarted = await relayer()
    expect(byTx(restarted, receipts.bridge)?.status).toBe('finalized')
    await restarted.relayer.step()
    const freshDir = await mkdtemp(join(tmpdir(), 'opl-relayer-fresh-'))
    try {
      const fresh = await relayer(freshDir, 'all')
      await fresh.relayer.step()
      expect(byTx(fresh, receipts.bridge)?.status).toBe('finalized')
      expect(byTx(fresh, receipts.receive)?.status).toBe('finalized')
    } finally {
      await rm(freshDir, { recursive: true, force: true })
    }
    expect(await net.l1.getTransactionCount({ address: relayerKey })).toBe(nonce + 1) // the unlisted one, proven once now
    const again = await JsonStore.open(dataDir, () => {
      throw new Error('state file missing')
    })
    expect(Object.keys(again.state.withdrawals)).toHaveLength(3)
  })
})
