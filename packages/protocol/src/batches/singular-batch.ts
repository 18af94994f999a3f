import type { Hex } from 'viem'
import { ProtocolError } from '../errors.js'
import { fromHex, toHex } from './hex.js'
import {
  bigIntToMinimalBytes,
  readRlpBytes,
  readRlpFixedBytes,
  readRlpInteger,
  readRlpList,
  readRlpStruct,
} from './rlp.js'
import { encodeRlp } from './rlp-writer.js'

/** Batch type byte of a singular batch: one L2 block. */
export const SINGULAR_BATCH_TYPE = 0x00

const MAX_UINT64 = (1n << 64n) - 1n

/** The inputs to build one L2 block: `rlp([parent_hash, epoch_number, epoch_hash, timestamp, [tx...]])`. */
export type SingularBatch = {
  parentHash: Hex
  /** L1 origin number. */
  epochNumber: bigint
  /** L1 origin hash. */
  epochHash: Hex
  timestamp: bigint
  /** EIP-2718 encoded transactions, deposits excluded. */
  transactions: Hex[]
}

/** A singular batch we were asked to encode does not fit the format. */
export class SingularBatchEncodeError extends ProtocolError {
  override name = 'SingularBatchEncodeError'
}

/** Encodes the batch content (without the type byte). */
export function encodeSingularBatchContent(batch: SingularBatch): Uint8Array {
  return encodeRlp([
    fixedBytes(batch.parentHash, 32, 'parentHash'),
    uint64Bytes(batch.epochNumber, 'epochNumber'),
    fixedBytes(batch.epochHash, 32, 'epochHash'),
    uint64Bytes(batch.timestamp, 'timestamp'),
    batch.transactions.map((tx) => fromHex(tx)),
  ])
}

/**
 * Decodes the batch content (after the type byte) with geth's rules: exact element count, 32-byte hashes, canonical
 * uint64s. Bytes after the list are ignored, as op-node's `rlp.Decode` ignores them.
 */
export function decodeSingularBatchContent(content: Uint8Array): SingularBatch {
  const [parentHash, epochNumber, epochHash, timestamp, transactions] = readRlpStruct(content, 0, 5)
  return {
    parentHash: toHex(readRlpFixedBytes(content, parentHash, 32)),
    epochNumber: readRlpInteger(content, epochNumber, 8),
    epochHash: toHex(readRlpFixedBytes(content, epochHash, 32)),
    timestamp: readRlpInteger(content, timestamp, 8),
    transactions: readRlpList(content, transactions).items.map((at) => {
      const tx = readRlpBytes(content, at)
      return toHex(content.subarray(tx.start, tx.end))
    }),
  }
}

function fixedBytes(value: Hex, length: number, field: string): Uint8Array {
  const bytes = fromHex(value)
  if (bytes.length !== length)
    throw new SingularBatchEncodeError(`${field} must be ${length} bytes`, { [field]: value })
  return bytes
}

function uint64Bytes(value: bigint, field: string): Uint8Array {
  if (value < 0n || value > MAX_UINT64)
    throw new SingularBatchEncodeError(`${field} must be a uint64`, { [field]: value })
  return bigIntToMinimalBytes(value)
}
