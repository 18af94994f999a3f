import { type Address, bytesToHex, concatBytes, type Hex, hexToBytes } from 'viem'
import {
  type BytesLike,
  readUint,
  toBytesOrUndefined,
  UINT64_MAX,
  UINT256_MAX,
  uintToFixedBytes,
} from '../deposits/bytes.js'
import { L1InfoLengthError, L1InfoSelectorError } from './errors.js'
import { assertAddress, assertBytes32, assertUints } from './field-checks.js'
import { readAddressWord, readUint64Word, readWord } from './solidity-words.js'

/** `setL1BlockValues(uint64,uint64,uint256,bytes32,uint64,bytes32,uint256,uint256)`, used before Ecotone. */
export const L1_INFO_BEDROCK_SELECTOR: Hex = '0x015d8eb9'
export const L1_INFO_BEDROCK_LENGTH = 260

/** The pre-Ecotone L1-info values; `l1FeeOverhead` and `l1FeeScalar` are the raw SystemConfig words. */
export type L1BlockInfoBedrock = {
  number: bigint
  timestamp: bigint
  baseFee: bigint
  blockHash: Hex
  sequenceNumber: bigint
  batcherAddr: Address
  l1FeeOverhead: Hex
  l1FeeScalar: Hex
}

/**
 * Standard ABI encoding of the eight arguments. Our chain activates Ecotone at genesis and never emits this; it is
 * here to read blocks of chains that started earlier and to test the decoder.
 */
export function encodeL1InfoBedrock(info: L1BlockInfoBedrock): Hex {
  assertUints([
    ['number', info.number, UINT64_MAX],
    ['timestamp', info.timestamp, UINT64_MAX],
    ['baseFee', info.baseFee, UINT256_MAX],
    ['sequenceNumber', info.sequenceNumber, UINT64_MAX],
  ])
  assertBytes32('blockHash', info.blockHash)
  assertBytes32('l1FeeOverhead', info.l1FeeOverhead)
  assertBytes32('l1FeeScalar', info.l1FeeScalar)
  assertAddress('batcherAddr', info.batcherAddr)
  return bytesToHex(
    concatBytes([
      hexToBytes(L1_INFO_BEDROCK_SELECTOR),
      uintToFixedBytes(info.number, 32),
      uintToFixedBytes(info.timestamp, 32),
      uintToFixedBytes(info.baseFee, 32),
      hexToBytes(info.blockHash),
      uintToFixedBytes(info.sequenceNumber, 32),
      new Uint8Array(12),
      hexToBytes(info.batcherAddr),
      hexToBytes(info.l1FeeOverhead),
      hexToBytes(info.l1FeeScalar),
    ]),
  )
}

/** op-node's `unmarshalBinaryBedrock`: exact length, selector, and zero padding of the uint64 and address words. */
export function decodeL1InfoBedrock(calldata: BytesLike): L1BlockInfoBedrock {
  const bytes = toBytesOrUndefined(calldata)
  if (bytes === undefined) throw new L1InfoLengthError('L1-info calldata is not hex or bytes', { calldata })
  if (bytes.length !== L1_INFO_BEDROCK_LENGTH) {
    throw new L1InfoLengthError('Bedrock L1-info calldata must be 260 bytes', {
      length: bytes.length,
      expected: L1_INFO_BEDROCK_LENGTH,
    })
  }
  const selector = bytesToHex(bytes.subarray(0, 4))
  if (selector !== L1_INFO_BEDROCK_SELECTOR) {
    throw new L1InfoSelectorError('not setL1BlockValues calldata', { selector, expected: L1_INFO_BEDROCK_SELECTOR })
  }
  return {
    number: readUint64Word(bytes, 4, 'number'),
    timestamp: readUint64Word(bytes, 36, 'timestamp'),
    baseFee: readUint(bytes, 68, 100),
    blockHash: readWord(bytes, 100),
    sequenceNumber: readUint64Word(bytes, 132, 'sequenceNumber'),
    batcherAddr: readAddressWord(bytes, 164, 'batcherHash'),
    l1FeeOverhead: readWord(bytes, 196),
    l1FeeScalar: readWord(bytes, 228),
  }
}
