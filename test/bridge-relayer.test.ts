/**
 * The standard bridge end to end on the devnet (`pnpm devnet`: anvil L1 with the bedrock 0.17.3 contracts, our node
 * as the L2, the batcher, and the devnet's own proposer and relayer): ETH and OPEN deposited and withdrawn both ways,
 * the relayer proving and finalizing, its API showing the states; the portal refusing tampered withdrawals and
 * proofs, early and double finalization, and a relayer fed tampered records reporting them failed. Prints the
 * wall-clock figures deposit → L2 credit and withdrawal → L1 finalized.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Address, type Hex, parseEther, type TransactionReceipt } from 'viem'
import {
  buildProveWithdrawal,
  extractTransactionDepositedLogs,
  getL2TransactionHash,
  getWithdrawals,
} from 'viem/op-stack'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  createRelayerService,
  JsonStore,
  oracleAbi,
  portalAbi,
  RelayerConfig,
  type RelayerConfigInput,
  type RelayerService,
  type WithdrawalRecord,
} from '../packages/bridge-relayer/src/index.js'
import { devAccounts } from '../packages/devnet/src/accounts.js'
import {
  BRIDGE_DEVNET,
  BRIDGE_TEST_TIMEOUT,
  type BridgeDevnet,
  erc20Abi,
  LEGACY_ERC20_ETH,
  l1BridgeAbi,
  l2BridgeAbi,
  passerAbi,
  pollUntil,
  relayerWithdrawals,
  seconds,
  startBridgeDevnet,
} from './bridge-fixture.js'
import { signPermit } from './permit.js'

const L2_STANDARD_BRIDGE = '0x4200000000000000000000000000000000000010'
const MESSAGE_PASSER = '0x4200000000000000000000000000000000000016'
const figures: string[] = []
let net: BridgeDevnet
const inProcess: RelayerService[] = []
let tmp: string

const relayed = devAccounts().users.slice(0, 4)

// users 0-3 are relayed by the devnet's relayer; user 4 is not (it proves and finalizes by itself below).
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'opl-bridge-relayer-'))
  net = await startBridgeDevnet({ relay: relayed.map((u) => u.address).join(',') })
}, 300_000)

afterAll(async () => {
  for (const r of inProcess) await r.stop()
  await net?.stop()
  if (tmp) await rm(tmp, { recursive: true, force: true })
  const t = BRIDGE_DEVNET
  console.log(
    `bridge figures (devnet: L1 block ${t.l1BlockTime} s, L2 block ${t.l2BlockTime} s, submission interval ` +
      `${t.submissionInterval} L2 blocks, finalization period ${t.finalizationPeriod} s, batcher channel 1 L1 block, ` +
      `sequencer L1 confirmations 0; ` +
      `machine shared with other engineers' work):\n  ${figures.join('\n  ')}`,
  )
})

const contracts = () => net.devnet.json.contracts
const api = () => net.devnet.json.relayerApi!
const user = (i: number) => net.users[i]!.address
const l1Receipt = async (hash: Promise<Hex>) => net.l1.waitForTransactionReceipt({ hash: await hash })
const l2Receipt = async (hash: Promise<Hex>) => net.l2.waitForTransactionReceipt({ hash: await hash })
const openL1 = (address: Address) =>
  net.l1.readContract({ address: contracts().l1.OPEN!, abi: erc20Abi, functionName: 'balanceOf', args: [address] })
const openL2 = (address: Address) =>
  net.l2.readContract({ address: contracts().l2.OPEN!, abi: erc20Abi, functionName: 'balanceOf', args: [address] })

/** Waits for the devnet's relayer to end the withdrawals of `receipts` (finalized or failed); returns the records. */
async function untilRelayed(receipts: TransactionReceipt[]): Promise<WithdrawalRecord[]> {
  const read = async () => (await Promise.all(receipts.map((r) => relayerWithdrawals(api(), r.transactionHash)))).flat()
  return pollUntil(
    read,
    (records) => records.length === receipts.length && records.every((w) => ['finalized', 'failed'].includes(w.status)),
  )
}

/** `L2ToL1MessagePasser.initiateWithdrawal` of `value` to the user's own L1 address. */
const withdrawToSelf = (i: number, value: bigint) =>
  l2Receipt(
    net.wallet(i, 'l2').writeContract({
      address: MESSAGE_PASSER,
      abi: passerAbi,
      functionName: 'initiateWithdrawal',
      args: [user(i), 100_000n, '0x'],
      value,
    }),
  )

/** A relayer in this process against the devnet, paying with the deployer's key (idle on L1 after start-up). */
async function inProcessRelayer(
  dataDir: string,
  relay: string,
  more: Partial<RelayerConfigInput> = {},
): Promise<RelayerService> {
  const service = await createRelayerService(
    RelayerConfig.parse({
      l1Rpc: net.devnet.json.l1.rpc,
      l2Rpc: net.devnet.json.l2.rpc,
      optimismPortal: contracts().l1.OptimismPortal,
      l2OutputOracle: contracts().l1.L2OutputOracle,
      privateKey: net.devnet.json.accounts.deployer.privateKey,
      relay,
      dataDir,
      apiEnabled: false,
      logLevel: 'silent',
      ...more,
    }),
  )
  inProcess.push(service)
  return service
}

/** Moves OPEN from the deployer (who holds the supply) to a user on L1. */
async function fundOpen(i: number, amount: bigint) {
  await l1Receipt(
    net.wallet(net.devnet.json.accounts.deployer.privateKey, 'l1').writeContract({
      address: contracts().l1.OPEN!,
      abi: erc20Abi,
      functionName: 'transfer',
      args: [user(i), amount],
    }),
  )
}

describe('ETH', { timeout: BRIDGE_TEST_TIMEOUT }, () => {
  test('L1StandardBridge.depositETH credits exactly the value on L2; the relayer API shows the deposit included', async () => {
    const before = await net.l2.getBalance({ address: user(0) })
    const t0 = performance.now()
    const receipt = await l1Receipt(
      net.wallet(0, 'l1').writeContract({
        address: contracts().l1.L1StandardBridge!,
        abi: l1BridgeAbi,
        functionName: 'depositETH',
        args: [200_000, '0x'],
        value: parseEther('1'),
      }),
    )
    const after = await pollUntil(
      () => net.l2.getBalance({ address: user(0) }),
      (b) => b !== before,
    )
    figures.push(`ETH deposit → L2 credit: ${seconds(performance.now() - t0)} (L1 tx sent → L2 balance seen)`)
    expect(after - before).toBe(parseEther('1'))

    const [log] = extractTransactionDepositedLogs({ logs: receipt.logs })
    const deposits = await pollUntil(
      async () =>
        (await (await fetch(`${api()}/v1/deposits/${receipt.transactionHash}`)).json()) as {
          deposits?: { status: string; l2TxHash: Hex; l2BlockNumber?: string }[]
        },
      (body) => body.deposits?.[0]?.status === 'included',
    )
    const l2Hash = getL2TransactionHash({ log: log! })
    expect(deposits.deposits).toMatchObject([{ status: 'included', l2TxHash: l2Hash }])
    const l2Tx = await net.l2.getTransactionReceipt({ hash: l2Hash })
    expect(l2Tx.status).toBe('success')
    expect(String(l2Tx.blockNumber)).toBe(deposits.deposits![0]!.l2BlockNumber)
  })

  test('L2StandardBridge.withdraw and plain ETH sent to the L2 bridge: the devnet relayer proves and finalizes; L1 balances rise by exactly the amounts', async () => {
    const l1Before = [await net.l1.getBalance({ address: user(0) }), await net.l1.getBalance({ address: user(1) })]
    const t0 = performance.now()
    const [viaBridge, plainSend] = await Promise.all([
      l2Receipt(
        net.wallet(0, 'l2').writeContract({
          address: L2_STANDARD_BRIDGE,
          abi: l2BridgeAbi,
          functionName: 'withdraw',
          args: [LEGACY_ERC20_ETH, parseEther('0.5'), 200_000, '0x'],
          value: parseEther('0.5'),
        }),
      ),
      l2Receipt(net.wallet(1, 'l2').sendTransaction({ to: L2_STANDARD_BRIDGE, value: parseEther('0.25') })),
    ])
    const records = await untilRelayed([viaBridge!, plainSend!])
    figures.push(`ETH withdrawal → L1 finalized: ${seconds(performance.now() - t0)} (L2 tx sent → relayer finalized)`)
    expect(records.map((w) => w.status)).toEqual(['finalized', 'finalized'])
    expect(records[0]).toMatchObject({ from: user(0), relayed: true, l2TxHash: viaBridge!.transactionHash })
    for (const w of records) expect(w.proveTxHash && w.finalizeTxHash).toMatch(/^0x[0-9a-f]{64}$/)
    // The relayer's key pays prove and finalize: the users' L1 balances move by the withdrawn amounts only.
    expect((await net.l1.getBalance({ address: user(0) })) - l1Before[0]!).toBe(parseEther('0.5'))
    expect((await net.l1.getBalance({ address: user(1) })) - l1Before[1]!).toBe(parseEther('0.25'))
    const account = (await (await fetch(`${api()}/v1/accounts/${user(1)}`)).json()) as {
      withdrawals: WithdrawalRecord[]
    }
    expect(account.withdrawals.map((w) => [w.l2TxHash, w.status])).toEqual([[plainSend!.transactionHash, 'finalized']])
  })
})

describe('OPEN', { timeout: BRIDGE_TEST_TIMEOUT }, () => {
  test('approve + depositERC20 mints L2 OPEN; withdraw burns it and the relayer releases exactly that much on L1', async () => {
    await fundOpen(2, parseEther('1000'))
    const bridge = contracts().l1.L1StandardBridge!
    await l1Receipt(
      net.wallet(2, 'l1').writeContract({
        address: contracts().l1.OPEN!,
        abi: erc20Abi,
        functionName: 'approve',
        args: [bridge, parseEther('100')],
      }),
    )
    const t0 = performance.now()
    await l1Receipt(
      net.wallet(2, 'l1').writeContract({
        address: bridge,
        abi: l1BridgeAbi,
        functionName: 'depositERC20',
        args: [contracts().l1.OPEN!, contracts().l2.OPEN!, parseEther('100'), 200_000, '0x'],
      }),
    )
    expect(
      await pollUntil(
        () => openL2(user(2)),
        (b) => b > 0n,
      ),
    ).toBe(parseEther('100'))
    figures.push(`OPEN deposit → L2 credit: ${seconds(performance.now() - t0)}`)
    expect(await openL1(user(2))).toBe(parseEther('900'))

    const t1 = performance.now()
    const withdrawal = await l2Receipt(
      net.wallet(2, 'l2').writeContract({
        address: L2_STANDARD_BRIDGE,
        abi: l2BridgeAbi,
        functionName: 'withdraw',
        args: [contracts().l2.OPEN!, parseEther('40'), 200_000, '0x'],
      }),
    )
    expect(await openL2(user(2))).toBe(parseEther('60'))
    expect((await untilRelayed([withdrawal])).map((w) => w.status)).toEqual(['finalized'])
    figures.push(`OPEN withdrawal → L1 finalized: ${seconds(performance.now() - t1)}`)
    expect(await openL1(user(2))).toBe(parseEther('940'))
  })

  test("EIP-2612 permit instead of approve, then depositERC20 (the bridge has no permit entry point: permit is OPEN's)", async () => {
    await fundOpen(3, parseEther('50'))
    const open = contracts().l1.OPEN!
    const bridge = contracts().l1.L1StandardBridge!
    const [, name, version, chainId] = await net.l1.readContract({
      address: open,
      abi: erc20Abi,
      functionName: 'eip712Domain',
    })
    const nonce = await net.l1.readContract({ address: open, abi: erc20Abi, functionName: 'nonces', args: [user(3)] })
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600)
    const owner = net.wallet(3, 'l1')
    const { v, r, s } = await signPermit(owner.account, {
      domain: { name, version, chainId, verifyingContract: open },
      spender: bridge,
      value: parseEther('50'),
      nonce,
      deadline,
    })
    // Anyone may submit the permit (here another user pays its gas); user 3 only signs, then deposits.
    await l1Receipt(
      net.wallet(0, 'l1').writeContract({
        address: open,
        abi: erc20Abi,
        functionName: 'permit',
        args: [user(3), bridge, parseEther('50'), deadline, v, r, s],
      }),
    )
    await l1Receipt(
      owner.writeContract({
        address: bridge,
        abi: l1BridgeAbi,
        functionName: 'depositERC20',
        args: [open, contracts().l2.OPEN!, parseEther('50'), 200_000, '0x'],
      }),
    )
    expect(
      await pollUntil(
        () => openL2(user(3)),
        (b) => b > 0n,
      ),
    ).toBe(parseEther('50'))
    expect(await openL1(user(3))).toBe(0n)
  })
})

describe('refusals', { timeout: BRIDGE_TEST_TIMEOUT }, () => {
  let receipt: TransactionReceipt
  let proveArgs: Awaited<ReturnType<typeof proveArgsFor>>

  /** The genuine proveWithdrawalTransaction arguments for `receipt`'s withdrawal, once an output covers it. */
  async function proveArgsFor(r: TransactionReceipt) {
    const oracle = contracts().l1.L2OutputOracle!
    await pollUntil(
      () => net.l1.readContract({ address: oracle, abi: oracleAbi, functionName: 'latestBlockNumber' }),
      (latest) => latest >= r.blockNumber,
    )
    const index = await net.l1.readContract({
      address: oracle,
      abi: oracleAbi,
      functionName: 'getL2OutputIndexAfter',
      args: [r.blockNumber],
    })
    const output = await net.l1.readContract({
      address: oracle,
      abi: oracleAbi,
      functionName: 'getL2Output',
      args: [index],
    })
    const [withdrawal] = getWithdrawals(r)
    const built = await buildProveWithdrawal(net.l2, {
      chain: null,
      output: { ...output, outputIndex: index },
      withdrawal: withdrawal!,
    })
    const { withdrawalHash: _, ...tx } = withdrawal!
    return { tx, index, outputRootProof: built.outputRootProof, withdrawalProof: built.withdrawalProof }
  }

  const simulate = (
    functionName: 'proveWithdrawalTransaction' | 'finalizeWithdrawalTransaction',
    args: never,
    blockNumber?: bigint,
  ) =>
    net.l1.simulateContract({
      account: user(4),
      address: contracts().l1.OptimismPortal!,
      abi: portalAbi,
      functionName,
      args,
      ...(blockNumber === undefined ? {} : { blockNumber }),
    })

  beforeAll(async () => {
    // User 4 is not on the relay list: its withdrawal waits for someone to prove it.
    receipt = await withdrawToSelf(4, parseEther('0.1'))
    proveArgs = await proveArgsFor(receipt)
  }, BRIDGE_TEST_TIMEOUT)

  test('the relayer tracks the unlisted withdrawal without relaying it', async () => {
    const [record] = await pollUntil(
      () => relayerWithdrawals(api(), receipt.transactionHash),
      (w) => w[0]?.status === 'ready-to-prove',
    )
    expect(record).toMatchObject({ status: 'ready-to-prove', relayed: false, from: user(4) })
  })

  test.each([
    ['nonce', (tx: WithdrawalTx) => ({ ...tx, nonce: tx.nonce + 1n })],
    ['sender', (tx: WithdrawalTx) => ({ ...tx, sender: user(0) })],
    ['target', (tx: WithdrawalTx) => ({ ...tx, target: user(0) })],
    ['value', (tx: WithdrawalTx) => ({ ...tx, value: tx.value * 2n })],
    ['gasLimit', (tx: WithdrawalTx) => ({ ...tx, gasLimit: tx.gasLimit + 1n })],
    ['data', (tx: WithdrawalTx) => ({ ...tx, data: '0x01' as Hex })],
  ])('a withdrawal with a tampered %s is refused by the portal', async (_field, tamper) => {
    const { tx, index, outputRootProof, withdrawalProof } = proveArgs
    // The portal derives the storage slot from the fields it is given: the genuine slot's proof does not fit it.
    await expect(
      simulate('proveWithdrawalTransaction', [tamper(tx), index, outputRootProof, withdrawalProof] as never),
    ).rejects.toThrow(/MerkleTrie|invalid withdrawal inclusion proof/)
  })

  test('a tampered proof is refused: output root proof and storage proof', async () => {
    const { tx, index, outputRootProof, withdrawalProof } = proveArgs
    const badRoot = { ...outputRootProof, stateRoot: `0x${'11'.repeat(32)}` as Hex }
    await expect(
      simulate('proveWithdrawalTransaction', [tx, index, badRoot, withdrawalProof] as never),
    ).rejects.toThrow(/OptimismPortal: invalid output root proof/)
    const last = withdrawalProof.at(-1)!
    const badProof = [
      ...withdrawalProof.slice(0, -1),
      `${last.slice(0, -2)}${last.endsWith('00') ? '01' : '00'}` as Hex,
    ]
    await expect(
      simulate('proveWithdrawalTransaction', [tx, index, outputRootProof, badProof] as never),
    ).rejects.toThrow(/MerkleTrie|invalid withdrawal inclusion proof/)
    await expect(simulate('finalizeWithdrawalTransaction', [tx] as never)).rejects.toThrow(
      /OptimismPortal: withdrawal has not been proven yet/,
    )
  })

  test('finalizing before maturity and a second time fail with the portal errors; the user pays its own L1 gas', async () => {
    const { tx, index, outputRootProof, withdrawalProof } = proveArgs
    const wallet = net.wallet(4, 'l1')
    const before = await net.l1.getBalance({ address: user(4) })
    const proved = await l1Receipt(
      wallet.writeContract({
        address: contracts().l1.OptimismPortal!,
        abi: portalAbi,
        functionName: 'proveWithdrawalTransaction',
        args: [tx, index, outputRootProof, withdrawalProof],
      }),
    )
    expect(proved.status).toBe('success')
    // At the prove block itself the period (2 s) has not elapsed, whatever the machine's speed.
    await expect(simulate('finalizeWithdrawalTransaction', [tx] as never, proved.blockNumber)).rejects.toThrow(
      /OptimismPortal: proven withdrawal finalization period has not elapsed/,
    )
    const { request } = await pollUntil(
      () => simulate('finalizeWithdrawalTransaction', [tx] as never).catch(() => undefined),
      (sim) => sim !== undefined,
    ).then((sim) => sim!)
    const finalized = await l1Receipt(wallet.writeContract(request))
    expect(finalized.status).toBe('success')
    const fees = [proved, finalized].reduce((sum, r) => sum + r.gasUsed * r.effectiveGasPrice, 0n)
    expect((await net.l1.getBalance({ address: user(4) })) - before).toBe(parseEther('0.1') - fees)
    await expect(simulate('finalizeWithdrawalTransaction', [tx] as never)).rejects.toThrow(
      /OptimismPortal: withdrawal has already been finalized/,
    )
    // The devnet's relayer reads the portal and records it finalized by someone else.
    const [record] = await pollUntil(
      () => relayerWithdrawals(api(), receipt.transactionHash),
      (w) => w[0]?.status === 'finalized',
    )
    expect(record).toMatchObject({ status: 'finalized', relayed: false, finalizeTxHash: finalized.transactionHash })
  })

  test('a relayer fed tampered records (each field) reports them failed with the portal error, sends nothing, keeps running', async () => {
    // A second, never-proven withdrawal of user 4: its genuine hash keys the tampered records.
    const second = await withdrawToSelf(4, parseEther('0.05'))
    await proveArgsFor(second)
    const [genuine] = await pollUntil(
      () => relayerWithdrawals(api(), second.transactionHash),
      (w) => w[0]?.status === 'ready-to-prove',
    )
    const key = net.devnet.json.accounts.deployer
    const nonce = await net.l1.getTransactionCount({ address: key.address })
    const fields: [keyof WithdrawalRecord['withdrawal'], string][] = [
      ['nonce', (BigInt(genuine!.withdrawal.nonce) + 1n).toString()],
      ['sender', user(0)],
      ['target', user(0)],
      ['value', '1'],
      ['gasLimit', '1'],
      ['data', '0x01'],
    ]
    for (const [field, value] of fields) {
      const dir = join(tmp, `tampered-${field}`)
      await JsonStore.open(dir, () => ({
        version: 1,
        l1Cursor: '999999999',
        l2Cursor: '999999999',
        deposits: {},
        withdrawals: {
          [genuine!.withdrawalHash]: {
            ...genuine!,
            relayed: true,
            withdrawal: { ...genuine!.withdrawal, [field]: value },
          },
        },
      }))
      const service = await inProcessRelayer(dir, 'all')
      await service.relayer.step()
      await service.relayer.settled() // step() only starts the prove; this waits for its outcome
      await service.relayer.step() // failed is terminal: no retry, no crash
      const record = service.relayer.state.withdrawals[genuine!.withdrawalHash]!
      expect([field, record.status]).toEqual([field, 'failed'])
      expect(record.error).toMatch(/MerkleTrie|invalid withdrawal inclusion proof|does not hash to output/)
      await service.stop()
    }
    expect(await net.l1.getTransactionCount({ address: key.address })).toBe(nonce)
  })

  test('a fresh relayer (empty state, relays all) reads L1 and sends nothing for what is already finalized', async () => {
    const key = net.devnet.json.accounts.deployer
    const nonce = await net.l1.getTransactionCount({ address: key.address })
    const service = await inProcessRelayer(join(tmp, 'fresh'), user(0))
    await service.relayer.step()
    const mine = Object.values(service.relayer.state.withdrawals).filter((w) => w.from === user(0))
    expect(mine.map((w) => w.status)).toEqual(['finalized'])
    expect(await net.l1.getTransactionCount({ address: key.address })).toBe(nonce)
  })
})

describe('relaying several withdrawals at once', { timeout: BRIDGE_TEST_TIMEOUT }, () => {
  const mining = (seconds: number) => net.l1.request({ method: 'evm_setIntervalMining', params: [seconds] } as never)
  const nonces = async (address: Address) => ({
    latest: await net.l1.getTransactionCount({ address, blockTag: 'latest' }),
    pending: await net.l1.getTransactionCount({ address, blockTag: 'pending' }),
  })

  test('two proves go out side by side and land in one L1 block; a relayer restarted while they are pending sends nothing more; both then finalize', async () => {
    const key = net.devnet.json.accounts.deployer
    const start = await nonces(key.address)
    const l1Start = await net.l1.getBlockNumber({ cacheTime: 0 })
    const balanceBefore = await net.l1.getBalance({ address: user(4) })
    // User 4 is not on the devnet relayer's list: only the relayers of this test send for these withdrawals.
    const wallet = net.wallet(4, 'l2')
    const nonce = await net.l2.getTransactionCount({ address: user(4), blockTag: 'pending' })
    const sent = await Promise.all(
      [parseEther('0.01'), parseEther('0.02')].map((value, i) =>
        l2Receipt(
          wallet.writeContract({
            address: MESSAGE_PASSER,
            abi: passerAbi,
            functionName: 'initiateWithdrawal',
            args: [user(4), 100_000n, '0x'],
            value,
            nonce: nonce + i,
          }),
        ),
      ),
    )
    const last = sent.reduce((max, r) => (r.blockNumber > max ? r.blockNumber : max), 0n)
    const first = sent.reduce((min, r) => (r.blockNumber < min ? r.blockNumber : min), last)
    const oracle = contracts().l1.L2OutputOracle!
    await pollUntil(
      () => net.l1.readContract({ address: oracle, abi: oracleAbi, functionName: 'latestBlockNumber' }),
      (latest) => latest >= last,
    )
    const dir = join(tmp, 'side-by-side')
    const more = { l1StartBlock: l1Start, l2StartBlock: first }
    const hashes = sent.map((r) => getWithdrawals(r)[0]!.withdrawalHash)

    // L1 mines nothing while the first relayer sends: its two proves stay pending, then it dies.
    await mining(0)
    try {
      const crashed = await inProcessRelayer(dir, user(4), more)
      await crashed.relayer.step()
      const out = await pollUntil(
        () => nonces(key.address),
        (n) => n.pending === start.latest + 2,
      )
      expect(out).toEqual({ latest: start.latest, pending: start.latest + 2 })
      crashed.txmgr.close()
      await crashed.relayer.settled()

      // Restarted from the same state file: both withdrawals still look unproven on L1, yet nothing is sent.
      const restarted = await inProcessRelayer(dir, user(4), more)
      await restarted.relayer.step()
      expect(hashes.map((h) => restarted.relayer.state.withdrawals[h]?.status)).toEqual([
        'ready-to-prove',
        'ready-to-prove',
      ])
      expect(await nonces(key.address)).toEqual(out)
      await mining(BRIDGE_DEVNET.l1BlockTime)

      const records = await pollUntil(
        async () => {
          await restarted.relayer.step()
          await restarted.relayer.settled()
          return hashes.map((h) => restarted.relayer.state.withdrawals[h]!)
        },
        (list) => list.every((w) => w.status === 'finalized' || w.status === 'failed'),
        600,
      )
      expect(records.map((w) => w.status)).toEqual(['finalized', 'finalized'])
    } finally {
      await mining(BRIDGE_DEVNET.l1BlockTime)
    }
    // Exactly two proves (from the first relayer, mined in one block) and two finalizes: no tx was sent twice.
    expect((await nonces(key.address)).latest).toBe(start.latest + 4)
    const portal = contracts().l1.OptimismPortal!
    const proven = await Promise.all(
      hashes.map((h) =>
        net.l1.readContract({ address: portal, abi: portalAbi, functionName: 'provenWithdrawals', args: [h] }),
      ),
    )
    expect(proven[0]![1]).toBe(proven[1]![1])
    expect((await net.l1.getBalance({ address: user(4) })) - balanceBefore).toBe(parseEther('0.03'))
  })
})

type WithdrawalTx = { nonce: bigint; sender: Address; target: Address; value: bigint; gasLimit: bigint; data: Hex }
