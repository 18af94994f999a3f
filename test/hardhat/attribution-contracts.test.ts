/**
 * The attribution engine and the contracts must agree to the wei: a settlement whose total differs from the
 * on-chain escrow is refused. These tests run the engine's fee math and claims tree against the deployed contracts
 * on Hardhat's EDR chain (Cancun).
 */
import fc from 'fast-check'
import { network } from 'hardhat'
import { type Address, keccak256, parseEther, toBytes } from 'viem'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { MODEL_KIND, readModelKind } from '../../packages/attribution-engine/src/chain/read-model-kind.js'
import { buildClaimsTree, computeInferenceFee, splitModelFee } from '../../packages/attribution-engine/src/index.js'

// biome-ignore lint/suspicious/noExplicitAny: contract handles are typed from artifacts the typecheck does not load
type C = any
const EPOCH = 3600n
const WINDOW = 60n

let conn: Awaited<ReturnType<typeof network.create>>
let open: C
let models: C
let rewards: C
let accounts: Address[]

/** A model on Datanet 1 version 1 at 1 wei per 1k tokens, 30/50/20 split. */
const modelParams = (name: string, kind: number) => ({
  name,
  kind,
  baseModelId: keccak256(toBytes('base')),
  adapterHash: keccak256(toBytes('adapter')),
  adapterURI: '',
  datanets: [{ datanetId: 1n, version: 1n, weightBps: 10_000 }],
  ratePer1kIn: 1n,
  ratePer1kOut: 1n,
  split: { ownerBps: 3000, contributorsBps: 5000, protocolBps: 2000 },
})

async function increaseTime(seconds: bigint) {
  await conn.provider.request({ method: 'evm_increaseTime', params: [Number(seconds)] })
  await conn.provider.request({ method: 'evm_mine', params: [] })
}

beforeAll(async () => {
  conn = await network.create({ override: { hardfork: 'cancun' } })
  const { viem } = conn
  accounts = (await viem.getWalletClients()).map((w) => w.account.address)
  const me = accounts[0] as Address
  open = await viem.deployContract('OpenToken', [me])
  const datanets: C = await viem.deployContract('DatanetRegistry', [open.address, me, me])
  models = await viem.deployContract('ModelRegistry', [datanets.address, me])
  rewards = await viem.deployContract('AttributionRewards', [
    open.address,
    models.address,
    me,
    me,
    me,
    EPOCH,
    WINDOW,
    0n,
    0n,
  ])
  await datanets.write.createDatanet([
    'd',
    'MIT',
    '',
    { policy: 0, treasury: me, requiredStake: 0n, maxSubmissionsPerDay: 0, maxBytesPerDay: 0n },
  ])
  await datanets.write.submitContribution([1n, keccak256(toBytes('row')), '0x01', 1n, 1n])
  await models.write.registerModel([modelParams('m', MODEL_KIND.indexOf('large'))])
  await open.write.approve([rewards.address, 2n ** 256n - 1n])
  await rewards.write.grantRole([await rewards.read.ATTESTOR_ROLE(), me])
}, 120_000)

afterAll(async () => {
  await conn?.close()
})

test('the contract quotes every inference exactly as the engine computes it', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.bigInt({ min: 0n, max: 10n ** 9n }),
      fc.bigInt({ min: 0n, max: 10n ** 9n }),
      fc.bigInt({ min: 1n, max: 10n ** 21n }),
      fc.bigInt({ min: 0n, max: 10n ** 21n }),
      fc.integer({ min: 1000, max: 7000 }),
      fc.integer({ min: 0, max: 6000 }),
      async (inTokens, outTokens, rateIn, rateOut, protocolBps, ownerRaw) => {
        const ownerBps = Math.min(ownerRaw, 7000 - protocolBps)
        const split = { ownerBps, contributorsBps: 10_000 - ownerBps - protocolBps, protocolBps }
        await models.write.setPricing([1n, rateIn, rateOut, split])
        const [modelFee, platformFee, owner, contributors, protocol] = await rewards.read.quote([
          1n,
          inTokens,
          outTokens,
        ])
        const fee = computeInferenceFee({ inTokens, outTokens, rateInWei: rateIn, rateOutWei: rateOut })
        const parts = splitModelFee(fee.modelFee, split)
        expect({ modelFee, platformFee, owner, contributors, protocol }).toEqual({
          modelFee: fee.modelFee,
          platformFee: fee.platformFee,
          owner: parts.owner,
          contributors: parts.contributors,
          protocol: parts.protocol,
        })
      },
    ),
    { numRuns: 100 },
  )
}, 120_000)

test("the engine's claims tree settles and every proof claims on chain", async () => {
  await models.write.setPricing([
    1n,
    parseEther('0.001'),
    parseEther('0.003'),
    { ownerBps: 3000, contributorsBps: 5000, protocolBps: 2000 },
  ])
  await increaseTime(EPOCH)
  const epoch: bigint = await rewards.read.currentEpoch()
  for (let i = 0; i < 3; i++)
    await rewards.write.payInference([1n, 1234n, 567n, parseEther('1'), `0x${'00'.repeat(32)}`])
  await increaseTime(EPOCH)
  const { contributors: escrow, inferenceCount } = await rewards.read.getEscrow([epoch])
  const payees = accounts.slice(1, 6)
  const payouts = new Map<Address, bigint>(
    payees.map((a, i) => [a, i === 0 ? escrow - (escrow / 5n) * 4n : escrow / 5n]),
  )
  const tree = buildClaimsTree(Number(epoch), payouts)
  await rewards.write.settle([
    {
      epoch,
      rewardsRoot: tree.root,
      inferencesRoot: keccak256(toBytes('records')),
      totalAmount: escrow,
      inferenceCount,
      leafCount: payees.length,
    },
  ])
  await increaseTime(WINDOW)
  for (const p of tree.proofs) {
    const before: bigint = await open.read.balanceOf([p.account])
    await rewards.write.claim([epoch, BigInt(p.index), p.account, BigInt(p.amount), p.proof])
    expect((await open.read.balanceOf([p.account])) - before).toBe(BigInt(p.amount))
  }
  const settlement = await rewards.read.getSettlement([epoch])
  expect(settlement.claimedAmount).toBe(escrow)
  for (const p of tree.proofs) expect(await rewards.read.isClaimed([epoch, BigInt(p.index)])).toBe(true)
}, 120_000)

test("the engine's model-kind reader returns the kind each model was registered with", async () => {
  const publicClient = await conn.viem.getPublicClient()
  await models.write.registerModel([modelParams('small', MODEL_KIND.indexOf('small'))])
  const small = (await models.read.modelCount()) as bigint
  await models.write.registerModel([modelParams('large', MODEL_KIND.indexOf('large'))])
  expect(await readModelKind(publicClient, models.address, small)).toBe('small')
  expect(await readModelKind(publicClient, models.address, small + 1n)).toBe('large')
  await expect(readModelKind(publicClient, models.address, small + 2n)).rejects.toThrow(/UnknownModel/)
}, 120_000)
