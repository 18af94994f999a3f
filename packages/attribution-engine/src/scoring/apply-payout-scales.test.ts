import type { Address } from 'viem'
import { describe, expect, test } from 'vitest'
import { contributorAddress } from '../planted/generate-planted-set.js'
import { applyPayoutScales } from './apply-payout-scales.js'
import { type AttributionResult, normalizeCredit, resultDigest, WAD } from './attribution-result.js'
import { ScoringParams } from './params.js'

const [a, b, c] = [1, 2, 3].map(contributorAddress) as [Address, Address, Address]

function result(): AttributionResult {
  const w = normalizeCredit(
    new Map([
      [a, 0.3],
      [b, 0.25],
      [c, 0.1],
    ]),
    0.35,
    5_000,
  )
  const body = {
    format: 1 as const,
    indexVersion: `0x${'11'.repeat(32)}` as const,
    outputHash: `0x${'22'.repeat(32)}` as const,
    outputTokens: 100,
    params: ScoringParams.parse({}),
    spans: [],
    contributors: w.contributors.map((x) => ({ ...x, contributions: [`id-${x.contributor}`] })),
    unattributedWad: w.unattributedWad,
    unattributed: w.unattributed,
  }
  return { ...body, digest: resultDigest(body) }
}

const sum = (r: AttributionResult) =>
  r.contributors.reduce((s, x) => s + BigInt(x.weightWad), BigInt(r.unattributedWad))
const wad = (r: AttributionResult, who: Address) => BigInt(r.contributors.find((x) => x.contributor === who)!.weightWad)

describe('payout scales (penalties)', () => {
  test('a penalized contributor keeps ⌊weight·scale⌋, the rest joins the unattributed share, the sum stays 1e18', () => {
    const r = result()
    const scaled = applyPayoutScales(
      r,
      new Map([
        [a, WAD / 3n],
        [c, 0n],
      ]),
      42n,
    )
    expect(wad(scaled, a)).toBe((wad(r, a) * (WAD / 3n)) / WAD)
    expect(wad(scaled, b)).toBe(wad(r, b))
    expect(wad(scaled, c)).toBe(0n)
    const removed = wad(r, a) - wad(scaled, a) + wad(r, c)
    expect(BigInt(scaled.unattributedWad)).toBe(BigInt(r.unattributedWad) + removed)
    expect(sum(scaled)).toBe(WAD)
    expect(scaled.penalties).toEqual({
      block: '42',
      scales: [
        { contributor: a, scaleWad: (WAD / 3n).toString() },
        { contributor: c, scaleWad: '0' },
      ].sort((x, y) => (x.contributor < y.contributor ? -1 : 1)),
    })
    // the digest covers the scaled weights and the penalty record
    const { digest, ...body } = scaled
    expect(digest).toBe(resultDigest(body))
    expect(digest).not.toBe(r.digest)
  })

  test('deterministic: the same scales and block give a byte-identical result; another block another digest', () => {
    const scales = new Map([[b, WAD / 2n]])
    const one = applyPayoutScales(result(), scales, 7n)
    expect(JSON.stringify(applyPayoutScales(result(), scales, 7n))).toBe(JSON.stringify(one))
    expect(applyPayoutScales(result(), scales, 8n).digest).not.toBe(one.digest)
  })

  test('no contributor below 1e18: the result is returned unchanged', () => {
    const r = result()
    expect(applyPayoutScales(r, new Map([[a, WAD]]), 1n)).toBe(r)
    expect(applyPayoutScales(r, new Map(), 1n)).toBe(r)
  })

  test('a scale outside [0, 1e18] is refused', () => {
    expect(() => applyPayoutScales(result(), new Map([[a, WAD + 1n]]), 1n)).toThrow(/payout scale outside/)
  })
})
