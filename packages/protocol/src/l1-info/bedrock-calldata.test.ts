import fc from 'fast-check'
import { encodeFunctionData, type Hex, hexToBytes, parseAbiItem, toFunctionSelector } from 'viem'
import { expect, test } from 'vitest'
import {
  arbitraryAddress,
  arbitraryHash,
  arbitraryUint,
  captureError,
  PROPERTY_TEST_TIMEOUT,
} from '../deposits/test-support.js'
import {
  decodeL1InfoBedrock,
  encodeL1InfoBedrock,
  L1_INFO_BEDROCK_SELECTOR,
  type L1BlockInfoBedrock,
} from './bedrock-calldata.js'
import { L1InfoLengthError, L1InfoSelectorError, WordPaddingError } from './errors.js'

const setL1BlockValues = parseAbiItem(
  'function setL1BlockValues(uint64 _number, uint64 _timestamp, uint256 _basefee, bytes32 _hash, uint64 _sequenceNumber, bytes32 _batcherHash, uint256 _l1FeeOverhead, uint256 _l1FeeScalar)',
)

const arbitraryBedrockInfo: fc.Arbitrary<L1BlockInfoBedrock> = fc.record({
  number: arbitraryUint(64),
  timestamp: arbitraryUint(64),
  baseFee: arbitraryUint(256),
  blockHash: arbitraryHash,
  sequenceNumber: arbitraryUint(64),
  batcherAddr: arbitraryAddress,
  l1FeeOverhead: arbitraryHash,
  l1FeeScalar: arbitraryHash,
})

test('the selector is setL1BlockValues(uint64,uint64,uint256,bytes32,uint64,bytes32,uint256,uint256)', () => {
  expect(L1_INFO_BEDROCK_SELECTOR).toBe(toFunctionSelector(setL1BlockValues))
})

test(
  'encoding is viem ABI encoding of the same call, and decodes back',
  () => {
    fc.assert(
      fc.property(arbitraryBedrockInfo, (info) => {
        const calldata = encodeL1InfoBedrock(info)
        expect(calldata).toBe(
          encodeFunctionData({
            abi: [setL1BlockValues],
            args: [
              info.number,
              info.timestamp,
              info.baseFee,
              info.blockHash,
              info.sequenceNumber,
              `0x${'00'.repeat(12)}${info.batcherAddr.slice(2).toLowerCase()}`,
              BigInt(info.l1FeeOverhead),
              BigInt(info.l1FeeScalar),
            ],
          }),
        )
        expect(hexToBytes(calldata)).toHaveLength(260)
        expect(decodeL1InfoBedrock(calldata)).toEqual(info)
      }),
      { numRuns: 2000 },
    )
  },
  PROPERTY_TEST_TIMEOUT,
)

const valid = encodeL1InfoBedrock(fc.sample(arbitraryBedrockInfo, { seed: 7, numRuns: 1 })[0]!)

test.each([
  ['no data', '0x'],
  ['the selector only', '0x015d8eb9'],
  ['one byte too many', `${valid}00`],
  ['Ecotone length', valid.slice(0, 2 + 164 * 2)],
])('%s -> L1InfoLengthError', (_name, calldata) => {
  expect(() => decodeL1InfoBedrock(calldata as Hex)).toThrow(L1InfoLengthError)
})

test('a random selector -> L1InfoSelectorError', () => {
  expect(() => decodeL1InfoBedrock(`0xdeadbeef${valid.slice(10)}` as Hex)).toThrow(L1InfoSelectorError)
})

test.each([
  ['number', 4],
  ['timestamp', 36],
  ['sequenceNumber', 132],
  ['batcherHash', 164],
])('non-zero padding in the %s word -> WordPaddingError', (field, offset) => {
  const bytes = hexToBytes(valid)
  bytes[offset] = 1
  const error = captureError(() => decodeL1InfoBedrock(bytes))
  expect(error).toBeInstanceOf(WordPaddingError)
  expect((error as WordPaddingError).details.field).toBe(field)
})
