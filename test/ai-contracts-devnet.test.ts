/**
 * The AI contracts on the running devnet L2 (our node), driven through viem the way the people around them would:
 * governance (the devnet deployer) bridges L1 OPEN in through the L1StandardBridge; a builder creates a Datanet; a
 * contributor stakes and submits a contribution, the builder approves it and registers a small model on it; an app
 * pays inference fees (approve, and the permit entry point); a bonded attestor settles the epoch, a challenger
 * disputes it and governance slashes the attestor; the epoch is settled again from the attestor's EIP-712 signature
 * relayed by someone else; after the challenge window the contributor and the Datanet treasury claim exactly their
 * leaves, and a second claim reverts with the contract's AlreadyClaimed. Events and balances are checked at each
 * step, to the wei.
 *
 * Needs the contract artifacts (`pnpm build:contracts`, which `pnpm test` runs first). Takes about two epochs of
 * the devnet (60 s each) plus its challenge window (60 s): DEVNET_ATTRIBUTION in packages/devnet/src/l2-contracts.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type Abi,
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  defineChain,
  erc20Abi,
  type Hex,
  http,
  keccak256,
  parseAbi,
  parseEther,
  parseEventLogs,
  type TransactionReceipt,
  toBytes,
  toHex,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { gasWithHeadroom } from '../packages/attribution-engine/src/chain/gas-headroom.js'
import { MODEL_KIND, readModelKind } from '../packages/attribution-engine/src/chain/read-model-kind.js'
import { SETTLEMENT_TYPES } from '../packages/attribution-engine/src/chain/rewards-settler.js'
import { buildClaimsTree } from '../packages/attribution-engine/src/settlement/claims-tree.js'
import { readOwnArtifact } from '../packages/devnet/src/artifacts.js'
import { REPO_ROOT } from '../packages/devnet/src/deploy/artifacts.js'
import type { DevnetJson } from '../packages/devnet/src/devnet-files.js'
import { DEVNET_ATTRIBUTION } from '../packages/devnet/src/l2-contracts.js'
import { type RunningDevnet, startDevnet } from './devnet-harness.js'
import { signPermit } from './permit.js'

const dir = mkdtempSync(join(tmpdir(), 'opl-ai-devnet-'))
let devnet: RunningDevnet | undefined

afterAll(async () => {
  await devnet?.stop()
  rmSync(dir, { recursive: true, force: true })
})

type Contract = { address: Address; abi: Abi }
const abiOf = (path: string, name: string): Abi => readOwnArtifact(REPO_ROOT, path, name).abi

const l1BridgeAbi = parseAbi([
  'function depositERC20To(address l1Token, address l2Token, address to, uint256 amount, uint32 minGasLimit, bytes extraData)',
])
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

let json: DevnetJson
let l2: ReturnType<typeof makeL2Client>
let open: Contract
let datanets: Contract
let models: Contract
let rewards: Contract

function makeL2Client(rpc: string, chainId: number) {
  const chain = defineChain({
    id: chainId,
    name: 'OpenLedger L2 devnet',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpc] } },
  })
  return createPublicClient({ chain, transport: http(rpc), pollingInterval: 250 })
}

const walletOf = (key: Hex) =>
  createWalletClient({ account: privateKeyToAccount(key), chain: l2.chain, transport: http(json.l2.rpc) })
type Wallet = ReturnType<typeof walletOf>

/**
 * Estimates (so a revert surfaces with its decoded error), sends with gas headroom (gasWithHeadroom: a payment
 * estimated in one epoch may land in the next), waits, and insists on success.
 */
async function send(wallet: Wallet, c: Contract, functionName: string, args: readonly unknown[]) {
  const call = { account: wallet.account, ...c, functionName, args }
  const hash = await wallet.writeContract({ ...call, gas: gasWithHeadroom(await l2.estimateContractGas(call)) })
  const receipt = await l2.waitForTransactionReceipt({ hash, timeout: 60_000 })
  expect(receipt.status, `${functionName} mined`).toBe('success')
  return receipt
}

const read = async <T>(c: Contract, functionName: string, args: readonly unknown[] = []): Promise<T> =>
  (await l2.readContract({ ...c, functionName, args })) as T

const balanceOf = (who: Address) =>
  l2.readContract({ address: open.address, abi: erc20Abi, functionName: 'balanceOf', args: [who] })

/** The args of the one `eventName` the contract emitted in the receipt. */
function eventOf(receipt: TransactionReceipt, c: Contract, eventName: string): Record<string, unknown> {
  const logs = parseEventLogs({ abi: c.abi, logs: receipt.logs, eventName }).filter(
    (l) => l.address.toLowerCase() === c.address.toLowerCase(),
  )
  expect(logs, `${eventName} emitted once`).toHaveLength(1)
  return logs[0]!.args as Record<string, unknown>
}

/** The custom error name and args a call reverts with (simulated against the L2's latest block). */
async function revertOf(wallet: Wallet, c: Contract, functionName: string, args: readonly unknown[]) {
  try {
    await l2.simulateContract({ account: wallet.account, ...c, functionName, args })
  } catch (err) {
    const reverted = err instanceof BaseError ? err.walk((e) => e instanceof ContractFunctionRevertedError) : null
    if (reverted instanceof ContractFunctionRevertedError)
      return { name: reverted.data?.errorName, args: reverted.data?.args, reason: reverted.reason }
    throw err
  }
  throw new Error(`${functionName} did not revert`)
}

/** Waits until the L2's latest block is at or past `timestamp`. */
async function waitForL2Time(timestamp: bigint): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if ((await l2.getBlock({ blockTag: 'latest' })).timestamp >= timestamp) return
    await sleep(250)
  }
  throw new Error(`L2 time never reached ${timestamp}`)
}

async function waitForOpen(who: Address, atLeast: bigint): Promise<bigint> {
  for (let i = 0; i < 600; i++) {
    const balance = await balanceOf(who)
    if (balance >= atLeast) return balance
    await sleep(250)
  }
  throw new Error(`L2 OPEN of ${who} never reached ${atLeast}`)
}

beforeAll(async () => {
  devnet = await startDevnet({ dataDir: join(dir, 'devnet'), args: ['--fresh', '--no-attribution'] })
  json = devnet.json
  if (!json.l2.rpc) throw new Error('devnet.json has no l2.rpc')
  l2 = makeL2Client(json.l2.rpc, json.l2.chainId)
  const c = json.contracts.l2
  open = { address: c.OPEN!, abi: erc20Abi as Abi }
  datanets = { address: c.DatanetRegistry!, abi: abiOf('datanets/DatanetRegistry.sol', 'DatanetRegistry') }
  models = { address: c.ModelRegistry!, abi: abiOf('models/ModelRegistry.sol', 'ModelRegistry') }
  rewards = { address: c.AttributionRewards!, abi: abiOf('attribution/AttributionRewards.sol', 'AttributionRewards') }
}, 300_000)

test('Datanet → contribution → approval → small model → paid inferences → settle, challenge + slash, signed re-settle → exact claims; second claim reverts', async () => {
  const [appKey, contributorKey, builderKey, attestorKey, challengerKey] = json.accounts.users.map((u) => u.privateKey)
  const [app, contributor, builder, attestor, challenger] = [
    appKey!,
    contributorKey!,
    builderKey!,
    attestorKey!,
    challengerKey!,
  ].map(walletOf) as [Wallet, Wallet, Wallet, Wallet, Wallet]
  const governance = walletOf(json.accounts.deployer.privateKey) // admin, guardian and protocol treasury on the devnet
  const treasury = privateKeyToAccount(keccak256(toBytes('datanet treasury'))).address // holds nothing, not even ETH
  expect(await read(rewards, 'epochLength')).toBe(DEVNET_ATTRIBUTION.epochLength)
  expect(await read(rewards, 'challengeWindow')).toBe(Number(DEVNET_ATTRIBUTION.challengeWindow))

  // ---- no L2 account holds OPEN at genesis: governance bridges L1 OPEN in through the L1StandardBridge
  const funding = new Map<Address, bigint>([
    [app.account.address, parseEther('1000')],
    [contributor.account.address, parseEther('100')],
    [attestor.account.address, parseEther('200')],
    [challenger.account.address, parseEther('50')],
  ])
  const l1 = createPublicClient({ transport: http(json.l1.rpc), pollingInterval: 250 })
  const l1Wallet = createWalletClient({
    account: privateKeyToAccount(json.accounts.deployer.privateKey),
    transport: http(json.l1.rpc),
  })
  const l1Send = async (hash: Promise<Hex>) =>
    expect((await l1.waitForTransactionReceipt({ hash: await hash })).status).toBe('success')
  const total = [...funding.values()].reduce((a, b) => a + b, 0n)
  await l1Send(
    l1Wallet.writeContract({
      address: json.contracts.l1.OPEN!,
      abi: erc20Abi,
      functionName: 'approve',
      args: [json.contracts.l1.L1StandardBridge!, total],
      chain: null,
    }),
  )
  for (const [to, amount] of funding)
    await l1Send(
      l1Wallet.writeContract({
        address: json.contracts.l1.L1StandardBridge!,
        abi: l1BridgeAbi,
        functionName: 'depositERC20To',
        args: [json.contracts.l1.OPEN!, open.address, to, amount, 200_000, '0x'],
        chain: null,
      }),
    )
  for (const [to, amount] of funding) expect(await waitForOpen(to, amount)).toBe(amount)

  // ---- Datanet (owner approval, 10 OPEN stake) → staked contribution → approval
  const requiredStake = parseEther('10')
  const created = await send(builder, datanets, 'createDatanet', [
    'medical-qa',
    'CC-BY-4.0',
    'ipfs://datanet-meta',
    { policy: 2, treasury, requiredStake, maxSubmissionsPerDay: 10, maxBytesPerDay: 0n },
  ])
  const datanetId = eventOf(created, datanets, 'DatanetCreated').datanetId as bigint
  await send(contributor, open, 'approve', [datanets.address, requiredStake])
  const staked = await send(contributor, datanets, 'stake', [datanetId, requiredStake])
  expect(eventOf(staked, datanets, 'Staked')).toMatchObject({ amount: requiredStake, newStake: requiredStake })
  expect(await balanceOf(contributor.account.address)).toBe(parseEther('90'))
  const contentHash = keccak256(toBytes('Q: what lowers blood pressure? A: ...'))
  const submitted = await send(contributor, datanets, 'submitContribution', [
    datanetId,
    contentHash,
    toHex('eigenda:0x010203'),
    4096n,
    1024n,
  ])
  expect(eventOf(submitted, datanets, 'ContributionSubmitted')).toMatchObject({
    contentHash,
    datanetId,
    contributor: contributor.account.address,
  })
  const approved = await send(builder, datanets, 'approveContributions', [datanetId, [contentHash]])
  expect(eventOf(approved, datanets, 'ContributionApproved')).toMatchObject({ contentHash, version: 1n })
  expect(await read(datanets, 'currentVersion', [datanetId])).toBe(1n)

  // ---- a small model trained on that version: its kind picks the influence scorer
  const ratePer1kIn = parseEther('0.01')
  const ratePer1kOut = parseEther('0.03')
  const registered = await send(builder, models, 'registerModel', [
    {
      name: 'med-ngram-small',
      kind: MODEL_KIND.indexOf('small'),
      baseModelId: keccak256(toBytes('opl/ngram-lm')),
      adapterHash: keccak256(toBytes('weights')),
      adapterURI: 'ipfs://weights',
      datanets: [{ datanetId, version: 1n, weightBps: 10_000 }],
      ratePer1kIn,
      ratePer1kOut,
      split: { ownerBps: 3000, contributorsBps: 5000, protocolBps: 2000 },
    },
  ])
  const model = eventOf(registered, models, 'ModelRegistered')
  expect(model).toMatchObject({ owner: builder.account.address, kind: 1, name: 'med-ngram-small' })
  const modelId = model.modelId as bigint
  expect(await readModelKind(l2, models.address, modelId)).toBe('small')

  // ---- governance admits the attestor, which bonds the minimum
  const bond = DEVNET_ATTRIBUTION.minAttestorBond
  await send(governance, rewards, 'grantRole', [await read<Hex>(rewards, 'ATTESTOR_ROLE'), attestor.account.address])
  await send(attestor, open, 'approve', [rewards.address, 2n ** 256n - 1n])
  await send(attestor, rewards, 'depositBond', [bond])
  expect(await read(rewards, 'isBondedAttestor', [attestor.account.address])).toBe(true)

  // ---- two paid inferences in one epoch: plain approve, then the permit entry point
  const epochLength = DEVNET_ATTRIBUTION.epochLength
  const genesis = await read<bigint>(rewards, 'genesisTime')
  const [modelFee1, platform1, owner1, contributors1, protocol1] = await read<bigint[]>(rewards, 'quote', [
    modelId,
    1200n,
    400n,
  ])
  const [modelFee2, platform2, owner2, contributors2] = await read<bigint[]>(rewards, 'quote', [modelId, 300n, 900n])
  expect(modelFee1).toBe((1200n * ratePer1kIn + 400n * ratePer1kOut) / 1000n)
  expect(owner1! + contributors1! + protocol1!).toBe(modelFee1)
  const paid1 = modelFee1! + platform1!
  const paid2 = modelFee2! + platform2!
  await send(app, open, 'approve', [rewards.address, paid1 + paid2])
  // The L2 OPEN (bedrock 0.17.3 OptimismMintableERC20) has no EIP-2612 permit: the contract ignores the failing
  // permit and the payment goes through on the allowance already given — exactly that allowance is spent.
  const account = privateKeyToAccount(appKey!)
  await expect(
    l2.readContract({
      address: open.address,
      abi: parseAbi(['function nonces(address) view returns (uint256)']),
      functionName: 'nonces',
      args: [account.address],
    }),
  ).rejects.toThrow()
  const { v, r, s } = await signPermit(account, {
    domain: { name: 'OpenLedger', version: '1', chainId: json.l2.chainId, verifyingContract: open.address },
    spender: rewards.address,
    value: paid2,
    nonce: 0n,
    deadline: 2n ** 40n,
  })
  // Both payments must land in one epoch: start them with at least half an epoch left.
  let now = (await l2.getBlock({ blockTag: 'latest' })).timestamp
  const nextEpochStart = genesis + ((now - genesis) / epochLength + 1n) * epochLength
  if (nextEpochStart - now < epochLength / 2n) await waitForL2Time(nextEpochStart)
  const appBefore = await balanceOf(app.account.address)
  const r1 = await send(app, rewards, 'payInference', [modelId, 1200n, 400n, paid1, keccak256(toBytes('req-1'))])
  const pay1 = eventOf(r1, rewards, 'InferencePaid')
  const epoch = (pay1.payment as { epoch: bigint }).epoch
  expect(pay1.payment).toMatchObject({ modelFee: modelFee1, contributorsPart: contributors1, ownerPart: owner1 })
  const r2 = await send(app, rewards, 'payInferenceWithPermit', [
    modelId,
    300n,
    900n,
    paid2,
    keccak256(toBytes('req-2')),
    2n ** 40n,
    v,
    r,
    s,
  ])
  expect((eventOf(r2, rewards, 'InferencePaid').payment as { epoch: bigint }).epoch).toBe(epoch)
  expect(appBefore - (await balanceOf(app.account.address))).toBe(paid1 + paid2)
  expect(
    await l2.readContract({
      address: open.address,
      abi: erc20Abi,
      functionName: 'allowance',
      args: [app.account.address, rewards.address],
    }),
  ).toBe(0n)
  const escrow = contributors1! + contributors2!
  expect(await read(rewards, 'getEscrow', [epoch])).toMatchObject({ contributors: escrow, inferenceCount: 2n })
  expect(await read(rewards, 'withdrawable', [builder.account.address])).toBe(owner1! + owner2!)

  // ---- after the epoch: the attestor settles 70 % to the contributor, the rest to the Datanet treasury
  await waitForL2Time(genesis + (epoch + 1n) * epochLength)
  const toContributor = (escrow * 7n) / 10n
  const tree = buildClaimsTree(
    Number(epoch),
    new Map([
      [contributor.account.address, toContributor],
      [treasury, escrow - toContributor],
    ]),
  )
  const input = {
    epoch,
    rewardsRoot: tree.root,
    inferencesRoot: keccak256(toBytes(`records of epoch ${epoch}`)),
    totalAmount: escrow,
    inferenceCount: 2n,
    leafCount: tree.proofs.length,
  }
  const settled = await send(attestor, rewards, 'settle', [input])
  expect(eventOf(settled, rewards, 'Settled')).toMatchObject({
    epoch,
    attestor: attestor.account.address,
    attempt: 0,
    rewardsRoot: tree.root,
    totalAmount: escrow,
  })

  // ---- challenged inside the window; governance upholds it and slashes 40 % of the bond
  const challengeBond = DEVNET_ATTRIBUTION.challengeBond
  await send(challenger, open, 'approve', [rewards.address, challengeBond])
  const challenged = await send(challenger, rewards, 'challenge', [
    epoch,
    keccak256(toBytes('evidence')),
    'ipfs://evidence',
  ])
  expect(eventOf(challenged, rewards, 'Challenged')).toMatchObject({ epoch, challenger: challenger.account.address })
  expect(await balanceOf(challenger.account.address)).toBe(parseEther('50') - challengeBond)
  expect(await revertOf(contributor, rewards, 'claim', claimArgs(tree.proofs[0]!))).toMatchObject({
    name: 'ClaimsNotOpen',
  })
  const slash = (bond * 4n) / 10n
  const protocolBefore = await read<bigint>(rewards, 'withdrawable', [governance.account.address])
  const resolved = await send(governance, rewards, 'resolveChallenge', [epoch, true, slash])
  expect(eventOf(resolved, rewards, 'BondSlashed')).toMatchObject({ amount: slash, newBond: bond - slash })
  expect(eventOf(resolved, rewards, 'ChallengeResolved')).toMatchObject({ upheld: true, slashed: slash })
  expect(await read(rewards, 'withdrawable', [challenger.account.address])).toBe(challengeBond + slash / 2n)
  expect((await read<bigint>(rewards, 'withdrawable', [governance.account.address])) - protocolBefore).toBe(
    slash - slash / 2n,
  )
  expect(await read(rewards, 'isBondedAttestor', [attestor.account.address])).toBe(false)
  const withdrawn = await send(challenger, rewards, 'withdraw', [])
  expect(eventOf(withdrawn, rewards, 'Withdrawn')).toMatchObject({ amount: challengeBond + slash / 2n })
  expect(await balanceOf(challenger.account.address)).toBe(parseEther('50') + slash / 2n)

  // ---- the attestor tops its bond up and signs the settlement (attempt 1); the app relays it
  await send(attestor, rewards, 'depositBond', [slash])
  const attempt = (await read<{ attempt: number }>(rewards, 'getEscrow', [epoch])).attempt
  expect(attempt).toBe(1)
  const signature = await privateKeyToAccount(attestorKey!).signTypedData({
    domain: {
      name: 'OpenLedger AttributionRewards',
      version: '1',
      chainId: json.l2.chainId,
      verifyingContract: rewards.address,
    },
    types: SETTLEMENT_TYPES,
    primaryType: 'Settlement',
    message: { ...input, attempt },
  })
  const resettled = await send(app, rewards, 'settleWithSignature', [input, attestor.account.address, signature])
  const opened = eventOf(resettled, rewards, 'Settled')
  expect(opened).toMatchObject({ epoch, attestor: attestor.account.address, attempt: 1 })

  // ---- after the window: each leaf pays exactly its amount once
  await waitForL2Time(BigInt(opened.claimsOpenAt as number))
  const mine = tree.proofs.find((p) => p.account === contributor.account.address)!
  const theirs = tree.proofs.find((p) => p.account === treasury)!
  const before = await balanceOf(contributor.account.address)
  const claimed = await send(contributor, rewards, 'claim', claimArgs(mine))
  expect(eventOf(claimed, rewards, 'Claimed')).toMatchObject({
    epoch,
    account: contributor.account.address,
    amount: toContributor,
  })
  expect((await balanceOf(contributor.account.address)) - before).toBe(toContributor)
  // the treasury has no ETH: anyone submits its claim, the tokens go to the treasury
  await send(contributor, rewards, 'claimMany', [
    [{ epoch, index: BigInt(theirs.index), account: treasury, amount: BigInt(theirs.amount), proof: theirs.proof }],
  ])
  expect(await balanceOf(treasury)).toBe(escrow - toContributor)
  expect(await revertOf(contributor, rewards, 'claim', claimArgs(mine))).toEqual({
    name: 'AlreadyClaimed',
    args: [epoch, BigInt(mine.index)],
    reason: undefined,
  })
  expect(await read(rewards, 'isClaimed', [epoch, BigInt(mine.index)])).toBe(true)
  expect(await read(rewards, 'getSettlement', [epoch])).toMatchObject({ claimedAmount: escrow, totalAmount: escrow })

  // ---- the model owner pulls its parts of both fees
  const ownerWithdraw = await send(builder, rewards, 'withdraw', [])
  expect(eventOf(ownerWithdraw, rewards, 'Withdrawn')).toMatchObject({ amount: owner1! + owner2! })
  expect(await balanceOf(builder.account.address)).toBe(owner1! + owner2!)
  now = (await l2.getBlock({ blockTag: 'latest' })).timestamp
  console.log(
    `epoch ${epoch}: escrow ${escrow} wei settled, slashed ${slash}, re-settled by signature, claimed at L2 time ${now}`,
  )
}, 600_000)

function claimArgs(p: { epoch: number; index: number; account: Address; amount: string; proof: Hex[] }) {
  return [BigInt(p.epoch), BigInt(p.index), p.account, BigInt(p.amount), p.proof] as const
}
