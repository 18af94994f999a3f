import { expect, test } from 'vitest'
import { encodeL1InfoBedrock } from './bedrock-calldata.js'
import { encodeL1InfoEcotone } from './ecotone-calldata.js'
import { L1InfoLengthError, L1InfoSelectorError } from './errors.js'
import { decodeL1BlockInfo } from './l1-block-info.js'

const common = {
  number: 20_000_123n,
  timestamp: 1_700_000_000n,
  baseFee: 7_000_000_000n,
  blockHash: `0x${'ab'.repeat(32)}`,
  sequenceNumber: 3n,
  batcherAddr: '0x6887246668a3b87F54DeB3b94Ba47a6f63F32985',
} as const

test('dispatches Ecotone calldata by selector and keeps every field', () => {
  const info = { ...common, blobBaseFee: 1n, baseFeeScalar: 1368, blobBaseFeeScalar: 810949 }
  const decoded = decodeL1BlockInfo(encodeL1InfoEcotone(info))
  expect(decoded).toEqual({ kind: 'ecotone', ...info })
})

test('dispatches Bedrock calldata by selector', () => {
  const info = {
    ...common,
    l1FeeOverhead: `0x${'00'.repeat(31)}bc`,
    l1FeeScalar: `0x${'00'.repeat(29)}0a6fe0`,
  } as const
  const decoded = decodeL1BlockInfo(encodeL1InfoBedrock(info))
  expect(decoded.kind).toBe('bedrock')
  expect(decoded.number).toBe(common.number)
  expect(decoded.sequenceNumber).toBe(3n)
})

test('an unknown selector or a stub is a typed error', () => {
  expect(() => decodeL1BlockInfo('0xdeadbeef')).toThrow(L1InfoSelectorError)
  expect(() => decodeL1BlockInfo('0x44')).toThrow(L1InfoLengthError)
})
