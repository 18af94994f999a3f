/**
 * Gas of the Datanet / model / Proof-of-Attribution contracts, measured from transaction receipts on Hardhat's EDR
 * simulated chain at the Cancun hardfork (the L2's Granite EVM). Claims use proofs from the attribution engine's
 * own claims tree (OpenZeppelin StandardMerkleTree over (epoch, index, account, amount)), so the figures are for the
 * proofs production will submit.
 *
 *   pnpm hardhat build && pnpm exec tsx bench/contracts-gas.ts
 *
 * Prints a markdown table: `gasUsed` is the whole transaction (21,000 intrinsic + calldata + execution), as a
 * wallet pays it; `execution` subtracts the intrinsic 21,000 and the calldata cost (4 / 16 gas per zero / non-zero
 * byte), which is what the contract code itself spends.
 */
import { network } from 'hardhat'
import { type Address, encodeAbiParameters, type Hex, keccak256, parseEther, toBytes, toHex } from 'viem'
import { SETTLEMENT_TYPES } from '../packages/attribution-engine/src/chain/rewards-settler.js'
import { buildClaimsTree } from '../packages/attribution-engine/src/index.js'

const EPOCH = 3600n
const WINDOW = 60n
const ZERO = `0x${'00'.repeat(32)}` as Hex

const conn = await network.create({ override: { hardfork: 'cancun' } })
const { viem, provider } = conn
const publicClient = await viem.getPublicClient()
const wallets = await viem.getWalletClients()
const wallet = (i: number) => {
  const w = wallets[i]
  if (!w) throw new Error(`Hardhat account ${i} missing`)
  return w
}
const [deployer, admin, builder, app, contributor, attestor] = [0, 1, 2, 3, 4, 5].map(wallet) as [
  ReturnType<typeof wallet>,
  ReturnType<typeof wallet>,
  ReturnType<typeof wallet>,
  ReturnType<typeof wallet>,
  ReturnType<typeof wallet>,
  ReturnType<typeof wallet>,
]
// biome-ignore lint/suspicious/noExplicitAny: contract handles are typed from artifacts the typecheck does not load
type C = any

type Row = { action: string; gasUsed: bigint; execution: bigint; note: string }
const rows: Row[] = []

/** Waits for `hash` and records its gas; returns the receipt's gasUsed. */
async function measure(action: string, hash: Hex, note = ''): Promise<bigint> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new Error(`${action} reverted`)
  const tx = await publicClient.getTransaction({ hash })
  const data = toBytes(tx.input)
  const calldata = data.reduce((sum, b) => sum + (b === 0 ? 4n : 16n), 0n)
  rows.push({ action, gasUsed: receipt.gasUsed, execution: receipt.gasUsed - 21_000n - calldata, note })
  return receipt.gasUsed
}

async function increaseTime(seconds: bigint) {
  await provider.request({ method: 'evm_increaseTime', params: [Number(seconds)] })
  await provider.request({ method: 'evm_mine', params: [] })
}

// ---------------------------------------------------------------- deploy (the devnet's constructor args)
const open: C = await viem.deployContract('OpenToken', [deployer.account.address])
const datanets = await viem.deployContract('DatanetRegistry', [
  open.address,
  admin.account.address,
  admin.account.address,
])
const models = await viem.deployContract('ModelRegistry', [datanets.address, admin.account.address])
const rewards: C = await viem.deployContract('AttributionRewards', [
  open.address,
  models.address,
  admin.account.address,
  admin.account.address,
  admin.account.address, // protocol treasury
  EPOCH,
  WINDOW,
  parseEther('1000'),
  parseEther('100'),
])
const asUser = async <T>(client: typeof deployer, address: Address, name: string) =>
  viem.getContractAt(name as 'OpenToken', address, { client: { wallet: client } }) as unknown as Promise<T>

for (const w of [app, contributor, attestor]) {
  await open.write.transfer([w.account.address, parseEther('1000000')])
}
const openAs = async (w: typeof deployer): Promise<C> => asUser<C>(w, open.address, 'OpenToken')
const dnAs = async (w: typeof deployer): Promise<C> => asUser<C>(w, datanets.address, 'DatanetRegistry')
const modelsAs = async (w: typeof deployer): Promise<C> => asUser<C>(w, models.address, 'ModelRegistry')
const rewardsAs = async (w: typeof deployer): Promise<C> => asUser<C>(w, rewards.address, 'AttributionRewards')

// ---------------------------------------------------------------- Datanets
const dnBuilder = await dnAs(builder)
const settings = (policy: number) => ({
  policy,
  treasury: builder.account.address,
  requiredStake: parseEther('10'),
  maxSubmissionsPerDay: 1000,
  maxBytesPerDay: 0n,
})
await measure(
  'createDatanet',
  await dnBuilder.write.createDatanet(['medical-qa', 'CC-BY-4.0', 'ipfs://bafy...meta', settings(2)]),
  'owner-approval Datanet, short strings',
)
await dnBuilder.write.createDatanet(['open-code', 'MIT', 'ipfs://bafy...meta', settings(0)])
const reviewedId = 1n
const openId = 2n
const dnContributor = await dnAs(contributor)
await (await openAs(contributor)).write.approve([datanets.address, 2n ** 256n - 1n])
await measure('stake (first)', await dnContributor.write.stake([reviewedId, parseEther('10')]))
await dnContributor.write.stake([openId, parseEther('10')])

const dataRef = toHex(toBytes('eigenda:0x010100'.padEnd(80, 'a'))) // ~40-byte DA commitment
const row = (i: number) => keccak256(toBytes(`row-${i}`))
await measure(
  'contribute (pending review)',
  await dnContributor.write.submitContribution([reviewedId, row(0), dataRef, 4096n, 1024n]),
  'first submission of the day',
)
await measure(
  'contribute (pending review)',
  await dnContributor.write.submitContribution([reviewedId, row(1), dataRef, 4096n, 1024n]),
  'later submission the same day',
)
await measure(
  'contribute (open Datanet, accepted at once)',
  await dnContributor.write.submitContribution([openId, row(2), dataRef, 4096n, 1024n]),
  'includes the tree append + new version',
)
await measure('approve (batch of 1)', await dnBuilder.write.approveContributions([reviewedId, [row(0)]]))
for (let i = 10; i < 110; i++) await dnContributor.write.submitContribution([reviewedId, row(i), dataRef, 1n, 1n])
const approve10 = await measure(
  'approve (batch of 10)',
  await dnBuilder.write.approveContributions([reviewedId, Array.from({ length: 10 }, (_, i) => row(10 + i))]),
)
rows.at(-1)!.note = `${approve10 / 10n} per contribution`
const approve90 = await measure(
  'approve (batch of 90)',
  await dnBuilder.write.approveContributions([reviewedId, Array.from({ length: 90 }, (_, i) => row(20 + i))]),
)
rows.at(-1)!.note = `${approve90 / 90n} per contribution`
await measure('reject as spam (batch of 1)', await dnBuilder.write.rejectContributions([reviewedId, [row(1)], true]))

// ---------------------------------------------------------------- model
const modelParams = {
  name: 'med-llama-lora',
  kind: 0,
  baseModelId: keccak256(toBytes('meta-llama/Llama-3.1-8B-Instruct')),
  adapterHash: keccak256(toBytes('adapter')),
  adapterURI: 'ipfs://bafy...adapter',
  datanets: [
    { datanetId: reviewedId, version: 3n, weightBps: 7000 },
    { datanetId: openId, version: 1n, weightBps: 3000 },
  ],
  ratePer1kIn: parseEther('0.001'),
  ratePer1kOut: parseEther('0.003'),
  split: { ownerBps: 3000, contributorsBps: 5000, protocolBps: 2000 },
}
await measure(
  'registerModel',
  await (await modelsAs(builder)).write.registerModel([modelParams]),
  'two Datanets, short strings',
)
const modelId = 1n

// ---------------------------------------------------------------- inference fees
const rwApp = await rewardsAs(app)
await (await openAs(app)).write.approve([rewards.address, 2n ** 256n - 1n])
const max = parseEther('1')
await measure(
  'payInference',
  await rwApp.write.payInference([modelId, 500n, 300n, max, ZERO]),
  'first ever: new owner + treasury balances and escrow slot',
)
await increaseTime(EPOCH)
await measure(
  'payInference',
  await rwApp.write.payInference([modelId, 500n, 300n, max, ZERO]),
  'first of an epoch (new escrow slot)',
)
await measure('payInference', await rwApp.write.payInference([modelId, 500n, 300n, max, ZERO]), 'later in the epoch')

// ---------------------------------------------------------------- settlement and claims
const rwAttestor = await rewardsAs(attestor)
await (await openAs(attestor)).write.approve([rewards.address, 2n ** 256n - 1n])
await (await rewardsAs(admin)).write.grantRole([await rewards.read.ATTESTOR_ROLE(), attestor.account.address])
await measure('depositBond', await rwAttestor.write.depositBond([parseEther('1000')]))

/** Pays enough inferences into a fresh epoch, closes it, returns the epoch and its contributors' escrow. */
async function fundEpoch(): Promise<{ epoch: bigint; escrow: bigint }> {
  await increaseTime(EPOCH)
  const epoch = (await rewards.read.currentEpoch()) as bigint
  for (let i = 0; i < 4; i++) await rwApp.write.payInference([modelId, 100_000n, 100_000n, parseEther('10'), ZERO])
  await increaseTime(EPOCH)
  const escrow = ((await rewards.read.getEscrow([epoch])) as { contributors: bigint }).contributors
  return { epoch, escrow }
}

/** `n` leaves summing exactly to `escrow`; accounts are fresh, `holders` of them already hold OPEN. */
function payouts(escrow: bigint, n: number, seed: string): Map<Address, bigint> {
  const m = new Map<Address, bigint>()
  const each = escrow / BigInt(n)
  for (let i = 0; i < n; i++) {
    const account = `0x${keccak256(toBytes(`${seed}-${i}`)).slice(26)}` as Address
    m.set(account, i === 0 ? escrow - each * BigInt(n - 1) : each)
  }
  return m
}

async function settleEpoch(n: number, seed: string, signed = false) {
  const { epoch, escrow } = await fundEpoch()
  const tree = buildClaimsTree(Number(epoch), payouts(escrow, n, seed))
  const input = {
    epoch,
    rewardsRoot: tree.root,
    inferencesRoot: keccak256(encodeAbiParameters([{ type: 'string' }], [`records-${seed}`])),
    totalAmount: escrow,
    inferenceCount: 4n,
    leafCount: n,
  }
  let hash: Hex
  if (signed) {
    const attempt = ((await rewards.read.getEscrow([epoch])) as { attempt: number }).attempt
    const signature = await attestor.signTypedData({
      domain: {
        name: 'OpenLedger AttributionRewards',
        version: '1',
        chainId: await publicClient.getChainId(),
        verifyingContract: rewards.address,
      },
      types: SETTLEMENT_TYPES,
      primaryType: 'Settlement',
      message: { ...input, attempt },
    })
    hash = await rwApp.write.settleWithSignature([input, attestor.account.address, signature])
  } else {
    hash = await rwAttestor.write.settle([input])
  }
  return { epoch, tree, hash }
}

for (const n of [2, 1024]) {
  const { hash } = await settleEpoch(n, `direct-${n}`)
  const gas = await measure('settle (attestor tx)', hash)
  rows.at(-1)!.note = `${n} leaves: ${(Number(gas) / n).toFixed(0)} gas per leaf (cost is O(1) in leaves)`
}
const signed = await settleEpoch(64, 'signed', true)
await measure('settleWithSignature (relayed)', signed.hash, '64 leaves, ECDSA attestor')

await increaseTime(WINDOW)
const rwAnyone = await rewardsAs(contributor)
const openDeployer = await openAs(deployer)
for (const [n, label] of [
  [2, 'depth 1'],
  [8, 'depth 3'],
  [64, 'depth 6'],
  [1024, 'depth 10'],
] as const) {
  const { epoch, tree } = await settleEpoch(n, `claims-${n}`)
  await increaseTime(WINDOW)
  const [fresh, holder] = tree.proofs
  if (!fresh || !holder) throw new Error('need two leaves')
  await measure(
    'claim',
    await rwAnyone.write.claim([epoch, BigInt(fresh.index), fresh.account, BigInt(fresh.amount), fresh.proof]),
    `${n} leaves (${label}), recipient had no OPEN; first claim of its bitmap word`,
  )
  await openDeployer.write.transfer([holder.account, 1n])
  await measure(
    'claim',
    await rwAnyone.write.claim([epoch, BigInt(holder.index), holder.account, BigInt(holder.amount), holder.proof]),
    `${n} leaves (${label}), recipient already holds OPEN; bitmap word already written`,
  )
}

// claimMany: one account across 8 epochs (one transfer), and 8 accounts of one epoch.
{
  const account = `0x${'c1'.repeat(20)}` as Address
  const batch = []
  for (let e = 0; e < 8; e++) {
    const { epoch, escrow } = await fundEpoch()
    const m = payouts(escrow, 64, `many-${e}`)
    const first = m.keys().next().value as Address
    const v = m.get(first)!
    m.delete(first)
    m.set(account, v)
    const tree = buildClaimsTree(Number(epoch), m)
    await rwAttestor.write.settle([
      {
        epoch,
        rewardsRoot: tree.root,
        inferencesRoot: keccak256(toBytes(`r-${e}`)),
        totalAmount: escrow,
        inferenceCount: 4n,
        leafCount: 64,
      },
    ])
    const p = tree.proofs.find((x) => x.account.toLowerCase() === account.toLowerCase())!
    batch.push({ epoch, index: BigInt(p.index), account, amount: BigInt(p.amount), proof: p.proof })
  }
  await increaseTime(WINDOW)
  const gas = await measure('claimMany (1 account x 8 epochs)', await rwAnyone.write.claimMany([batch]))
  rows.at(-1)!.note = `64-leaf trees, fresh recipient: ${gas / 8n} per leaf`
}
{
  const { epoch, tree } = await settleEpoch(64, 'many-accounts')
  await increaseTime(WINDOW)
  const batch = tree.proofs
    .slice(0, 8)
    .map((p) => ({ epoch, index: BigInt(p.index), account: p.account, amount: BigInt(p.amount), proof: p.proof }))
  const gas = await measure('claimMany (8 accounts x 1 epoch)', await rwAnyone.write.claimMany([batch]))
  rows.at(-1)!.note = `64-leaf tree, fresh recipients: ${gas / 8n} per leaf`
}
await measure('withdraw (model owner)', await (await rewardsAs(builder)).write.withdraw())

// ---------------------------------------------------------------- print
const fmt = (n: bigint) => n.toLocaleString('en-US')
console.log('EDR (Hardhat 3.18), hardfork cancun, solc 0.8.28, optimizer 200 runs\n')
console.log('| action | gasUsed (tx) | execution | note |')
console.log('|---|---:|---:|---|')
for (const r of rows) console.log(`| ${r.action} | ${fmt(r.gasUsed)} | ${fmt(r.execution)} | ${r.note} |`)
await conn.close()
