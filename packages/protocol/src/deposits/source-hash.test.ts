import fc from 'fast-check'
import type { Hex } from 'viem'
import { getSourceHash } from 'viem/op-stack'
import { describe, expect, test } from 'vitest'
import { SourceHashInputError } from './errors.js'
import {
  afterForceIncludeSourceHash,
  l1InfoDepositSourceHash,
  upgradeDepositSourceHash,
  userDepositSourceHash,
} from './source-hash.js'
import { arbitraryHash, PROPERTY_TEST_TIMEOUT } from './test-support.js'

describe('vectors', () => {
  // op-node deposit_source_test.go
  test('L1-info deposit, seq 4', () => {
    expect(
      l1InfoDepositSourceHash({
        l1BlockHash: '0xc00e5d67c2755389aded7d8b151cbd5bcdf7ed275ad5e028b664880fc7581c77',
        sequenceNumber: 4,
      }),
    ).toBe('0x0586c503340591999b8b38bc9834bb16aec7d5bc00eb5587ab139c9ddab81977')
  })

  test('after-force-include deposit, seq 4', () => {
    expect(
      afterForceIncludeSourceHash({
        l1BlockHash: '0xc00e5d67c2755389aded7d8b151cbd5bcdf7ed275ad5e028b664880fc7581c77',
        sequenceNumber: 4n,
      }),
    ).toBe('0x0d165c391384b29c29f655e3f32315755b8c1e4c1147d1824d1243420dda5ec3')
  })

  test.each([
    ['Ecotone: L1 Block Proxy Update', '0x18acb38c5ff1c238a7460ebc1b421fa49ec4874bdf1e0a530d234104e5e67dbc'],
    [
      'Ecotone: beacon block roots contract deployment',
      '0x69b763c48478b9dc2f65ada09b3d92133ec592ea715ec65ad6e7f3dc519dc00c',
    ],
  ])('upgrade deposit %s', (intent, expected) => {
    expect(upgradeDepositSourceHash(intent)).toBe(expected)
  })

  test('upgrade deposit "Fjord: Gas Price Oracle Deployment" (digest prefix and suffix)', () => {
    const hash = upgradeDepositSourceHash('Fjord: Gas Price Oracle Deployment')
    expect(hash.slice(0, 10)).toBe('0x86122c53')
    expect(hash.slice(-6)).toBe('1a8ea3')
  })

  // viem utils/getSourceHash.test.ts
  const viemBlockHash: Hex = '0x9ba3933dc6ce43c145349770a39c30f9b647f17668f004bd2e05c80a2e7262f7'
  test('user deposit, log index 196', () => {
    expect(userDepositSourceHash({ l1BlockHash: viemBlockHash, logIndex: 196 })).toBe(
      '0xd0868c8764d81f1749edb7dec4a550966963540d9fe50aefce8cdb38ea7b2213',
    )
  })
  test('L1-info deposit, seq 1', () => {
    expect(l1InfoDepositSourceHash({ l1BlockHash: viemBlockHash, sequenceNumber: 1 })).toBe(
      '0x722c43232e2f9dc07ebc07a02a3056993a2ed1328a1c81377ea99d135af39536',
    )
  })
})

describe('against viem getSourceHash', () => {
  test(
    'user and L1-info domains agree on random inputs',
    () => {
      fc.assert(
        fc.property(arbitraryHash, fc.nat({ max: Number.MAX_SAFE_INTEGER }), (l1BlockHash, index) => {
          expect(userDepositSourceHash({ l1BlockHash, logIndex: index })).toBe(
            getSourceHash({ domain: 'userDeposit', l1BlockHash, l1LogIndex: index }),
          )
          expect(l1InfoDepositSourceHash({ l1BlockHash, sequenceNumber: BigInt(index) })).toBe(
            getSourceHash({ domain: 'l1InfoDeposit', l1BlockHash, sequenceNumber: index }),
          )
        }),
        { numRuns: 2000 },
      )
    },
    PROPERTY_TEST_TIMEOUT,
  )
})

describe('invalid input', () => {
  test.each([
    ['short block hash', { l1BlockHash: '0x1234' as Hex, logIndex: 0 }],
    ['negative index', { l1BlockHash: `0x${'00'.repeat(32)}` as Hex, logIndex: -1 }],
    ['index above uint64', { l1BlockHash: `0x${'00'.repeat(32)}` as Hex, logIndex: 2n ** 64n }],
    ['fractional index', { l1BlockHash: `0x${'00'.repeat(32)}` as Hex, logIndex: 1.5 }],
  ])('%s -> SourceHashInputError', (_name, args) => {
    expect(() => userDepositSourceHash(args)).toThrow(SourceHashInputError)
  })

  test('the largest uint64 index is accepted', () => {
    const hash = l1InfoDepositSourceHash({ l1BlockHash: `0x${'11'.repeat(32)}`, sequenceNumber: 2n ** 64n - 1n })
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/)
  })
})
