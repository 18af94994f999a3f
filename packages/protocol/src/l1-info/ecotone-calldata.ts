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
import { assertAddress, assertBytes32, assertUint32, assertUints } from './field-checks.js'
import { readAddressWord } from './solidity-words.js'

/** `setL1BlockValuesEcotone()`: its arguments are packed after the selector, not ABI-encoded. */
export const L1_INFO_ECOTONE_SELECTOR: Hex = '0x440a5e20'
export const L1_INFO_ECOTONE_LENGTH = 164

/** What the L1-info deposit tells the L1Block predeploy from Ecotone on (op-node `L1BlockInfo`). */
export type L1BlockInfoEcotone = {
  /** L1 origin block number, timestamp, base fee, hash. */
  number: bigint
  timestamp: bigint
  baseFee: bigint
  blockHash: Hex
  /** L1 blob base fee of the origin; 1 when L1 has no blobs. */
  blobBaseFee: bigint
  /** Position of the L2 block in its epoch. */
  sequenceNumber: bigint
  batcherAddr: Address
  baseFeeScalar: number
  blobBaseFeeScalar: number
}

/**
 * selector | baseFeeScalar u32 | blobBaseFeeScalar u32 | sequenceNumber u64 | timestamp u64 | number u64 |
 * baseFee u256 | blobBaseFee u256 | blockHash | batcherHash (version 0: the address left-padded), 164 bytes.
 */
export function encodeL1InfoEcotone(info: L1BlockInfoEcotone): Hex {
  assertUint32('baseFeeScalar', info.baseFeeScalar)
  assertUint32('blobBaseFeeScalar', info.blobBaseFeeScalar)
  assertUints([
    ['sequenceNumber', info.sequenceNumber, UINT64_MAX],
    ['timestamp', info.timestamp, UINT64_MAX],
    ['number', info.number, UINT64_MAX],
    ['baseFee', info.baseFee, UINT256_MAX],
    ['blobBaseFee', info.blobBaseFee, UINT256_MAX],
  ])
  assertBytes32('blockHash', info.blockHash)
  assertAddress('batcherAddr', info.batcherAddr)
  return bytesToHex(
    concatBytes([
      hexToBytes(L1_INFO_ECOTONE_SELECTOR),
      uintToFixedBytes(BigInt(info.baseFeeScalar), 4),
      uintToFixedBytes(BigInt(info.blobBaseFeeScalar), 4),
      uintToFixedBytes(info.sequenceNumber, 8),
      uintToFixedBytes(info.timestamp, 8),
      uintToFixedBytes(info.number, 8),
      uintToFixedBytes(info.baseFee, 32),
      uintToFixedBytes(info.blobBaseFee, 32),
      hexToBytes(info.blockHash),
      new Uint8Array(12),
      hexToBytes(info.batcherAddr),
    ]),
  )
}

/** Inverse of `encodeL1InfoEcotone`, with op-node's checks: exact length, selector, zero batcher-hash padding. */
export function decodeL1InfoEcotone(calldata: BytesLike): L1BlockInfoEcotone {
  const bytes = toBytesOrUndefined(calldata)
  if (bytes === undefined) throw new L1InfoLengthError('L1-info calldata is not hex or bytes', { calldata })
  if (bytes.length !== L1_INFO_ECOTONE_LENGTH) {
    throw new L1InfoLengthError('Ecotone L1-info calldata must be 164 bytes', {
      length: bytes.length,
      expected: L1_INFO_ECOTONE_LENGTH,
    })
  }
  const selector = bytesToHex(bytes.subarray(0, 4))
  if (selector !== L1_INFO_ECOTONE_SELECTOR) {
    throw new L1InfoSelectorError('not setL1BlockValuesEcotone calldata', {
      selector,
      expected: L1_INFO_ECOTONE_SELECTOR,
    })
  }
  return {
    baseFeeScalar: Number(readUint(bytes, 4, 8)),
    blobBaseFeeScalar: Number(readUint(bytes, 8, 12)),
    sequenceNumber: readUint(bytes, 12, 20),
    timestamp: readUint(bytes, 20, 28),
    number: readUint(bytes, 28, 36),
    baseFee: readUint(bytes, 36, 68),
    blobBaseFee: readUint(bytes, 68, 100),
    blockHash: bytesToHex(bytes.subarray(100, 132)),
    batcherAddr: readAddressWord(bytes, 132, 'batcherHash'),
  }
}
