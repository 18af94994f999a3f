/**
 * Proof of Attribution end to end on the devnet (`pnpm devnet` on free ports, our L2 node, the DA server, the
 * L2 contracts it deploys) with the attribution service running as the devnet runs it (startDevnetAttribution):
 * contributions go to the DA server and DatanetRegistry, are approved, indexed by the service from chain events,
 * paid inferences of a large (span) and a small (influence) model are attributed through the HTTP API, the
 * service settles the epoch on chain as the devnet attestor, and after the challenge window every contributor
 * claims exactly what the attributions paid. One contributor carries a spam penalty: its payouts are scaled by
 * DatanetRegistry.payoutScaleWad at the payment block.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Address, erc20Abi, type Hex, parseAbi, parseEther } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  type ClaimProof,
  DevnetFile,
  type RunningAttributionService,
  signInferenceOutput,
  startDevnetAttribution,
} from '../packages/attribution-engine/src/index.js'
import { type DevAccount, devAccount } from '../packages/devnet/src/accounts.js'
import {
  type AttributionResponse,
  attributeInference,
  contribute,
  createDemoDatanet,
  type DemoContext,
  demoContext,
  demoTexts,
  fundPayer,
  payInference,
  registerDemoModel,
  review,
  sendL2,
  waitForIndexed,
} from '../packages/devnet/src/demo.js'
import { type RunningDevnet, startDevnet } from './devnet-harness.js'

const registryAbi = parseAbi(['function payoutScaleWad(address contributor) view returns (uint256)'])

let dir: string
let devnet: RunningDevnet
let service: RunningAttributionService & { attestor: Address }
let ctx: DemoContext
let owner: DevAccount
let alice: DevAccount
let bob: DevAccount
let carol: DevAccount
let payer: DevAccount
const treasury = devAccount(21)
let datanetId: bigint
const texts = demoTexts()
/** carol's rows: quoted by the outputs too, so her penalty shows in the payouts */
const carolRows = [
  'Attribution weights sum to exactly one with an explicit unattributed share for text nobody registered.',
  'A spam rejection slashes stake and raises a penalty score that decays linearly over thirty days.',
]
let funded: Promise<void>
const paid: Array<{ inferenceId: bigint; response: AttributionResponse }> = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opl-attr-devnet-'))
  // L1 blocks no faster than L2 blocks: the sequencer moves its L1 origin at most one block per L2 block (as
  // op-node), so with the default 1 s L1 / 2 s L2 the origin falls behind by one L1 block every L2 block and after
  // ~200 L2 blocks (this test's epoch wait) the 200-block sequencing window expires and derivation replaces the
  // unsafe blocks with deposit-only ones, dropping the settlement and claim transactions.
  devnet = await startDevnet({ dataDir: join(dir, 'devnet'), args: ['--l1-block-time', '2', '--no-attribution'] })
  service = await startDevnetAttribution({
    devnet: DevnetFile.parse(devnet.json),
    indexDir: join(dir, 'attribution'),
    port: 0,
    overrides: { logLevel: process.env.OPL_TEST_LOG ?? 'warn' },
  })
  ctx = demoContext(devnet.json)
  ;[owner, alice, bob, carol, payer] = ctx.devnet.accounts.users as DevAccount[] as [
    DevAccount,
    DevAccount,
    DevAccount,
    DevAccount,
    DevAccount,
  ]
}, 900_000)

afterAll(async () => {
  await service?.stop()
  await devnet?.stop()
  rmSync(dir, { recursive: true, force: true })
}, 120_000)

const l2Time = async () => (await ctx.client.getBlock({ blockTag: 'latest' })).timestamp
const openBalance = (account: Address) =>
  ctx.client.readContract({
    address: ctx.devnet.contracts.l2.OPEN,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [account],
  })

describe('Proof of Attribution on the devnet', () => {
  test('contributions on the DA server, submitted and approved on chain, are indexed by the running service', async () => {
    // the payer's OPEN crosses the bridge meanwhile (L1 deposit → L2 mint), awaited before the first payment
    funded = fundPayer(ctx, payer, parseEther('50'))
    funded.catch(() => undefined)
    datanetId = await createDemoDatanet(ctx, owner, { name: 'e2e', treasury: treasury.address })
    const spam = await contribute(ctx, carol, datanetId, 'buy cheap tokens now buy cheap tokens now buy now')
    await review(ctx, owner, datanetId, [spam], 'spam')
    const hashes = [
      await contribute(ctx, alice, datanetId, texts.contributions[0]!.join('\n')),
      await contribute(ctx, bob, datanetId, texts.contributions[1]!.join('\n')),
      await contribute(ctx, carol, datanetId, carolRows.join('\n')),
    ]
    await review(ctx, owner, datanetId, hashes, 'approve')
    await waitForIndexed(service.url, 3)
    expect(service.engine.summary.contributions).toBe(3)
    expect(service.engine.summary.rows).toBe(6)
    // carol's spam rejection gave her a penalty: her payout scale is below 1
    const scale = await ctx.client.readContract({
      address: ctx.devnet.contracts.l2.DatanetRegistry,
      abi: registryAbi,
      functionName: 'payoutScaleWad',
      args: [carol.address],
    })
    expect(scale).toBeLessThan(parseEther('1'))
    expect(scale).toBeGreaterThan(parseEther('0.6'))
  }, 300_000)

  test('paid inferences of a large (span) and a small (influence) model are attributed, penalties applied at the payment block', async () => {
    const rates = { ratePer1kIn: parseEther('0.01'), ratePer1kOut: parseEther('0.03') }
    const large = await registerDemoModel(ctx, owner, { name: 'e2e-large', kind: 'large', datanetId, ...rates })
    const small = await registerDemoModel(ctx, owner, { name: 'e2e-small', kind: 'small', datanetId, ...rates })
    await funded
    const outputs = {
      large: `${texts.contributions[0]![1]} And: ${carolRows[0]}`,
      small: `${texts.contributions[1]![1]} ${carolRows[1]}`,
    }
    for (const [modelId, output, method] of [
      [large, outputs.large, 'span'],
      [small, outputs.small, 'influence'],
    ] as const) {
      const { inferenceId, receipt } = await payInference(ctx, payer, {
        modelId,
        inTokens: 200n,
        outTokens: 80n,
        requestRef: `e2e-${modelId}`,
      })
      // the payer tries to front-run the operator with its own output: unsigned, then signed by itself
      const attack = (signature?: Hex) =>
        fetch(`${service.url}/v1/attributions`, {
          method: 'POST',
          body: JSON.stringify({ output: carolRows.join(' '), inferenceId: inferenceId.toString(), signature }),
        })
      expect((await attack()).status).toBe(401)
      const forged = await signInferenceOutput(privateKeyToAccount(payer.privateKey), {
        chainId: ctx.devnet.l2.chainId,
        rewards: ctx.devnet.contracts.l2.AttributionRewards,
        inferenceId,
        output: carolRows.join(' '),
      })
      const refused = await attack(forged)
      expect([refused.status, ((await refused.json()) as { error: string }).error]).toEqual([
        403,
        'OutputSignerNotModelOwnerError',
      ])
      // no scorer in the request: the service reads the model's registered kind
      const response = await attributeInference(ctx, service.url, { inferenceId, output, modelOwner: owner })
      // the first booking stands: the same output again gets it back, another output is refused
      const again = await attributeInference(ctx, service.url, { inferenceId, output, modelOwner: owner })
      expect([again.epoch, again.payouts, again.result.digest]).toEqual([
        response.epoch,
        response.payouts,
        response.result.digest,
      ])
      await expect(
        attributeInference(ctx, service.url, { inferenceId, output: `${output} more`, modelOwner: owner }),
      ).rejects.toMatchObject({ details: { status: 409, error: 'InferenceAlreadyAttributedError' } })
      expect(response.method).toBe(method)
      paid.push({ inferenceId, response })
      // carol is credited and penalized at the payment block, with the on-chain scale of that block
      const scaleThen = await ctx.client.readContract({
        address: ctx.devnet.contracts.l2.DatanetRegistry,
        abi: registryAbi,
        functionName: 'payoutScaleWad',
        args: [carol.address],
        blockNumber: receipt.blockNumber,
      })
      expect(response.result.penalties).toEqual({
        block: receipt.blockNumber.toString(),
        scales: [{ contributor: carol.address, scaleWad: scaleThen.toString() }],
      })
      const credited = response.result.contributors.filter((c) => BigInt(c.weightWad) > 0n).map((c) => c.contributor)
      expect(credited).toContain(carol.address)
      const weights = response.result.contributors.reduce((a, c) => a + BigInt(c.weightWad), 0n)
      expect(weights + BigInt(response.result.unattributedWad)).toBe(parseEther('1'))
    }
    // the span path credits exactly the quoted rows' owners
    expect(
      paid[0]!.response.result.contributors
        .filter((c) => BigInt(c.weightWad) > 0n)
        .map((c) => c.contributor)
        .sort(),
    ).toEqual([alice.address, carol.address].sort())
    // the influence path scores with a model trained on the Datanet, not the span index
    expect(paid[1]!.response.result.indexVersion).not.toBe(paid[0]!.response.result.indexVersion)
  }, 300_000)

  test('the service settles the epoch as the devnet attestor; after the challenge window everyone claims exactly', async () => {
    const epochs = [...new Set(paid.map((p) => p.response.epoch))]
    const expected = new Map<Address, bigint>()
    for (const p of paid)
      for (const [a, v] of Object.entries(p.response.payouts))
        expected.set(a as Address, (expected.get(a as Address) ?? 0n) + BigInt(v))
    const rewards = { address: ctx.devnet.contracts.l2.AttributionRewards, abi: ctx.abis.rewards }
    type Settlement = { status: number; rewardsRoot: Hex; attestor: Address; claimsOpenAt: number }
    const settlementOf = (epoch: number) =>
      ctx.client.readContract({
        ...rewards,
        functionName: 'getSettlement',
        args: [BigInt(epoch)],
      }) as Promise<Settlement>
    // the devnet's epochs are 60 s (DEVNET_ATTRIBUTION): wait (bounded) for the service's own poll to settle them
    const deadline = Date.now() + 600_000
    for (const epoch of epochs) {
      while ((await settlementOf(epoch)).status === 0) {
        expect(Date.now()).toBeLessThan(deadline)
        await new Promise((r) => setTimeout(r, 2_000))
      }
      const s = await settlementOf(epoch)
      expect(s.attestor).toBe(service.attestor)
      expect(s.rewardsRoot).toBe(service.chain!.book.claimsOf(alice.address).find((c) => c.epoch === epoch)?.root)
    }
    const opensAt = Math.max(...(await Promise.all(epochs.map(settlementOf))).map((s) => Number(s.claimsOpenAt)))
    while (Number(await l2Time()) < opensAt) {
      expect(Date.now()).toBeLessThan(deadline + 120_000)
      await new Promise((r) => setTimeout(r, 2_000))
    }
    let total = 0n
    for (const account of [alice, bob, carol, treasury]) {
      const res = await fetch(`${service.url}/v1/claims/${account.address}`)
      // 404: nothing owed to this account in any settled epoch
      const { claims } = res.status === 404 ? { claims: [] } : ((await res.json()) as { claims: ClaimProof[] })
      const owed = claims.reduce((a, c) => a + BigInt(c.amount), 0n)
      expect(owed).toBe(expected.get(account.address) ?? 0n)
      if (owed === 0n) continue
      const before = await openBalance(account.address)
      await sendL2(ctx, account, {
        ...rewards,
        functionName: 'claimMany',
        args: [
          claims.map((c) => ({
            epoch: BigInt(c.epoch),
            index: BigInt(c.index),
            account: c.account,
            amount: BigInt(c.amount),
            proof: c.proof,
          })),
        ],
      })
      expect((await openBalance(account.address)) - before).toBe(owed)
      total += owed
    }
    for (const who of [alice, bob, carol]) expect(expected.get(who.address) ?? 0n).toBeGreaterThan(0n)
    let escrowed = 0n
    for (const epoch of epochs) {
      const escrow = (await ctx.client.readContract({
        ...rewards,
        functionName: 'getEscrow',
        args: [BigInt(epoch)],
      })) as {
        contributors: bigint
      }
      escrowed += escrow.contributors
    }
    expect(total).toBe(escrowed)
  }, 900_000)
})
