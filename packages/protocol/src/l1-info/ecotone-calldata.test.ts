import fc from 'fast-check'
import { getAddress, type Hex, hexToBytes, keccak256, stringToBytes, toFunctionSelector } from 'viem'
import { describe, expect, test } from 'vitest'
import {
  arbitraryAddress,
  arbitraryBytes,
  arbitraryHash,
  arbitraryUint,
  captureError,
  PROPERTY_TEST_TIMEOUT,
} from '../deposits/test-support.js'
import { ProtocolError } from '../errors.js'
import {
  decodeL1InfoEcotone,
  encodeL1InfoEcotone,
  L1_INFO_ECOTONE_SELECTOR,
  type L1BlockInfoEcotone,
} from './ecotone-calldata.js'
import { L1InfoFieldError, L1InfoLengthError, L1InfoSelectorError, WordPaddingError } from './errors.js'
import { baseL1InfoTx, unichainL1InfoTx } from './test-vectors.js'

const arbitraryEcotoneInfo: fc.Arbitrary<L1BlockInfoEcotone> = fc.record({
  number: arbitraryUint(64),
  timestamp: arbitraryUint(64),
  baseFee: arbitraryUint(256),
  blockHash: arbitraryHash,
  blobBaseFee: arbitraryUint(256),
  sequenceNumber: arbitraryUint(64),
  batcherAddr: arbitraryAddress,
  baseFeeScalar: fc.nat({ max: 0xffff_ffff }),
  blobBaseFeeScalar: fc.nat({ max: 0xffff_ffff }),
})

test('the selector is the first 4 bytes of keccak256("setL1BlockValuesEcotone()")', () => {
  expect(L1_INFO_ECOTONE_SELECTOR).toBe(keccak256(stringToBytes('setL1BlockValuesEcotone()')).slice(0, 10))
  expect(L1_INFO_ECOTONE_SELECTOR).toBe(toFunctionSelector('setL1BlockValuesEcotone()'))
})

describe('real chain data', () => {
  test('Base mainnet L2 block 0x191350d: every packed field', () => {
    const info = decodeL1InfoEcotone(baseL1InfoTx.input)
    expect(info).toEqual({
      baseFeeScalar: 0x8dd,
      blobBaseFeeScalar: 0x101c12,
      sequenceNumber: 3n,
      timestamp: 0x67acc63fn,
      number: 0x14d1f2dn,
      baseFee: 0x5ba4c0ebn,
      blobBaseFee: 0x1ce2291bdn,
      blockHash: '0xcbb8f62c15343b39cfacdbf81c4747822ebb16c2518126e47d984422a82defc1',
      batcherAddr: getAddress('0x5050f69a9786f081509234f1a7f4684b5e5b76c9'),
    })
    expect(encodeL1InfoEcotone(info)).toBe(baseL1InfoTx.input)
  })

  test('Unichain block 0x2ab912: decode then encode is the identity', () => {
    const info = decodeL1InfoEcotone(hexToBytes(unichainL1InfoTx.input))
    expect(info).toMatchObject({ sequenceNumber: 0n, number: 0x69b0cfn, blobBaseFee: 0x92n, baseFeeScalar: 2000 })
    expect(encodeL1InfoEcotone(info)).toBe(unichainL1InfoTx.input)
  })
})

test(
  'decode(encode(info)) is info, always 164 bytes',
  () => {
    fc.assert(
      fc.property(arbitraryEcotoneInfo, (info) => {
        const calldata = encodeL1InfoEcotone(info)
        expect(hexToBytes(calldata)).toHaveLength(164)
        expect(decodeL1InfoEcotone(calldata)).toEqual(info)
      }),
      { numRuns: 3000 },
    )
  },
  PROPERTY_TEST_TIMEOUT,
)

describe('malformed calldata -> typed error', () => {
  const valid = baseL1InfoTx.input
  test.each([
    ['empty', '0x' as Hex],
    ['the selector only', L1_INFO_ECOTONE_SELECTOR],
    ['one byte short', valid.slice(0, -2) as Hex],
    ['one byte too many', `${valid}00` as Hex],
    ['Bedrock length', `${L1_INFO_ECOTONE_SELECTOR}${'00'.repeat(256)}` as Hex],
    ['odd-length hex', `${valid}0` as Hex],
  ])('%s -> L1InfoLengthError', (_name, calldata) => {
    expect(() => decodeL1InfoEcotone(calldata)).toThrow(L1InfoLengthError)
  })

  test('the Bedrock selector at Ecotone length -> L1InfoSelectorError', () => {
    expect(() => decodeL1InfoEcotone(`0x015d8eb9${valid.slice(10)}` as Hex)).toThrow(L1InfoSelectorError)
  })

  test('a batcher hash with a non-zero version byte -> WordPaddingError', () => {
    const bytes = hexToBytes(valid)
    bytes[132] = 1
    const error = captureError(() => decodeL1InfoEcotone(bytes))
    expect(error).toBeInstanceOf(WordPaddingError)
    expect((error as WordPaddingError).details.field).toBe('batcherHash')
  })

  test.each([
    ['baseFeeScalar above uint32', { baseFeeScalar: 2 ** 32 }, 'baseFeeScalar'],
    ['negative blobBaseFeeScalar', { blobBaseFeeScalar: -1 }, 'blobBaseFeeScalar'],
    ['sequenceNumber above uint64', { sequenceNumber: 2n ** 64n }, 'sequenceNumber'],
    ['blobBaseFee above uint256', { blobBaseFee: 2n ** 256n }, 'blobBaseFee'],
    ['short blockHash', { blockHash: '0x12' as Hex }, 'blockHash'],
    ['bad batcher', { batcherAddr: '0x12' as Hex }, 'batcherAddr'],
  ])('encoding %s -> L1InfoFieldError', (_name, override, field) => {
    const info = { ...decodeL1InfoEcotone(valid), ...override }
    const error = captureError(() => encodeL1InfoEcotone(info))
    expect(error).toBeInstanceOf(L1InfoFieldError)
    expect((error as L1InfoFieldError).details.field).toBe(field)
  })

  test(
    'random calldata throws a ProtocolError or round-trips',
    () => {
      const mutated = fc
        .tuple(arbitraryEcotoneInfo, fc.nat(), fc.integer({ min: 0, max: 255 }))
        .map(([info, at, byte]) => {
          const bytes = hexToBytes(encodeL1InfoEcotone(info))
          bytes[at % bytes.length] = byte
          return bytes
        })
      fc.assert(
        fc.property(fc.oneof(mutated, arbitraryBytes(0, 200)), (calldata) => {
          try {
            const info = decodeL1InfoEcotone(calldata)
            expect(hexToBytes(encodeL1InfoEcotone(info))).toEqual(
              typeof calldata === 'string' ? hexToBytes(calldata) : calldata,
            )
          } catch (error) {
            expect(error).toBeInstanceOf(ProtocolError)
          }
        }),
        { numRuns: 3000 },
      )
    },
    PROPERTY_TEST_TIMEOUT,
  )
})
