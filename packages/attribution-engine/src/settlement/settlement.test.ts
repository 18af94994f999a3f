import fc from 'fast-check'
import { type Address, encodeAbiParameters, keccak256 } from 'viem'
import { describe, expect, test } from 'vitest'
import { SettlementError } from '../errors.js'
import type { AttributionResult } from '../scoring/attribution-result.js'
import { buildClaimsTree, verifyClaim } from './claims-tree.js'
import { distributeContributorsPart } from './distribute-contributors-part.js'
import { EpochBook } from './epoch-book.js'
import { computeInferenceFee, splitModelFee } from './fee.js'
import { largestRemainder } from './largest-remainder.js'
import { RecordingSettler } from './settler.js'

const addr = (i: number): Address => `0x${i.toString(16).padStart(40, '0')}`

describe('fee split', () => {
  test('largest remainder always sums exactly and stays within one unit of the exact share', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 20n }), { minLength: 1, maxLength: 20 }),
        (total, shares) => {
          fc.pre(shares.some((s) => s > 0n))
          const parts = largestRemainder(total, shares)
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(total)
          const sum = shares.reduce((a, b) => a + b, 0n)
          parts.forEach((p, i) => {
            const floor = (total * shares[i]!) / sum
            expect(p === floor || p === floor + 1n).toBe(true)
          })
        },
      ),
      { numRuns: 300 },
    )
  })

  test('1 wei over three equal shares goes to the first (ties to the lower index)', () => {
    expect(largestRemainder(1n, [1n, 1n, 1n])).toEqual([1n, 0n, 0n])
  })

  test('fee formula, platform fee and the 50/30/20 split', () => {
    const fee = computeInferenceFee({ inTokens: 1500n, outTokens: 500n, rateInWei: 2000n, rateOutWei: 6000n })
    expect(fee).toEqual({ modelFee: 6000n, platformFee: 300n, total: 6300n })
    expect(splitModelFee(6001n)).toEqual({ contributors: 3001n, owner: 1800n, protocol: 1200n })
    expect(() => splitModelFee(100n, { contributorsBps: 2_000, ownerBps: 7_000, protocolBps: 1_000 })).toThrow(
      SettlementError,
    )
  })

  test('contributors part pays weights and sends the unattributed share to Datanet treasuries, summing exactly', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 10 }),
        (amount, raw) => {
          const total = raw.reduce((a, b) => a + b, 0) + 1
          const wads = raw.map((r) => (BigInt(r) * 10n ** 18n) / BigInt(total))
          const unattributed = 10n ** 18n - wads.reduce((a, b) => a + b, 0n)
          const out = distributeContributorsPart({
            amount,
            weights: wads.map((w, i) => ({ contributor: addr(i + 1), weightWad: w.toString() })),
            unattributedWad: unattributed.toString(),
            datanets: [
              { treasury: addr(100), weight: 2n },
              { treasury: addr(101), weight: 1n },
            ],
          })
          expect([...out.values()].reduce((a, b) => a + b, 0n)).toBe(amount)
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('claims tree', () => {
  test('leaves are OpenZeppelin double-hashed abi.encode(uint64 epoch, uint256 index, address, uint256), indexed by account order, and every proof verifies', () => {
    const payouts = new Map<Address, bigint>([
      [addr(3), 30n],
      [addr(1), 10n],
      [addr(2), 20n],
    ])
    const { root, proofs, tree } = buildClaimsTree(7, payouts)
    expect(proofs.map((p) => [p.index, p.account])).toEqual([
      [0, addr(1)],
      [1, addr(2)],
      [2, addr(3)],
    ])
    const inner = keccak256(
      encodeAbiParameters(
        [{ type: 'uint64' }, { type: 'uint256' }, { type: 'address' }, { type: 'uint256' }],
        [7n, 0n, addr(1), 10n],
      ),
    )
    expect(tree.leafHash(['7', '0', addr(1), '10'])).toBe(keccak256(inner))
    for (const p of proofs) expect(verifyClaim(p)).toBe(true)
    expect(verifyClaim({ ...proofs[0]!, amount: '11' })).toBe(false)
    expect(verifyClaim({ ...proofs[0]!, index: 1 })).toBe(false)
    expect(verifyClaim({ ...proofs[0]!, epoch: 8 })).toBe(false)
    expect(buildClaimsTree(7, new Map([...payouts].reverse())).root).toBe(root)
  })

  test('an epoch charges inferences, settles both roots and serves proofs that verify', async () => {
    const settler = new RecordingSettler()
    const book = new EpochBook(settler)
    const result = {
      contributors: [
        { contributor: addr(1), weightWad: (6n * 10n ** 17n).toString() },
        { contributor: addr(2), weightWad: (3n * 10n ** 17n).toString() },
      ],
      unattributedWad: (10n ** 17n).toString(),
      outputHash: keccak256('0x01'),
      indexVersion: keccak256('0x02'),
      digest: keccak256('0x03'),
    } as AttributionResult
    const charge = {
      inferenceId: 'inf-1',
      modelId: 'model-1',
      modelOwner: addr(50),
      inTokens: 1000n,
      outTokens: 1000n,
      rateInWei: 10n ** 18n,
      rateOutWei: 10n ** 18n,
      datanets: [{ treasury: addr(99), weight: 1n }],
    }
    book.charge(result, charge)
    book.charge(result, { ...charge, inferenceId: 'inf-2' })
    const epoch = await book.close()
    expect(settler.settled).toHaveLength(1)
    expect(epoch.inferences).toBe(2)
    // 2 × 2 OPEN model fee → contributors 2 OPEN: 1.2 / 0.6 / 0.2 (treasury)
    expect(BigInt(epoch.totalClaims)).toBe(2n * 10n ** 18n)
    const [claim] = book.claimsOf(addr(1))
    expect(claim!.amount).toBe((12n * 10n ** 17n).toString())
    expect(verifyClaim(claim!)).toBe(true)
    expect(book.currentEpoch).toBe(2)
  })
})
