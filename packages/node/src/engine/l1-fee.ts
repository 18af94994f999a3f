import type { StateManagerInterface } from '@ethereumjs/common'
import { Address, bigIntToBytes, bytesToBigInt, hexToBytes, setLengthLeft } from '@ethereumjs/util'
import { L1_BLOCK } from './addresses.js'
import { flzCompressLen } from './fastlz.js'

/** Fjord L1 cost regression (specs protocol/fjord/exec-engine.md): estimated Brotli size from the FastLZ size. */
export const L1_COST_INTERCEPT = -42_585_600n
export const L1_COST_FASTLZ_COEF = 836_500n
export const MIN_TRANSACTION_SIZE = 100n
const MIN_TRANSACTION_SIZE_SCALED = MIN_TRANSACTION_SIZE * 1_000_000n
const FJORD_DIVISOR = 1_000_000_000_000n

/** L1Block storage the fee reads (contracts-bedrock L1Block layout; op-geth core/types/rollup_cost.go). */
const SLOT_L1_BASE_FEE = 1n
const SLOT_FEE_SCALARS = 3n
const SLOT_OVERHEAD = 5n
const SLOT_SCALAR = 6n
const SLOT_L1_BLOB_BASE_FEE = 7n

export type L1FeeParams = {
  l1BaseFee: bigint
  l1BlobBaseFee: bigint
  l1BaseFeeScalar: bigint
  l1BlobBaseFeeScalar: bigint
  /** Pre-Ecotone parameters, used only while the Ecotone scalars are still unset (see `l1FeeFunction`). */
  overhead: bigint
  scalar: bigint
}

/** The OP receipt fields that accompany a non-deposit tx (not part of the consensus receipt). */
export type L1FeeReceiptFields = {
  l1Fee: bigint
  l1GasUsed: bigint
  l1GasPrice: bigint
  l1BlobBaseFee?: bigint
  l1BaseFeeScalar?: bigint
  l1BlobBaseFeeScalar?: bigint
}

/**
 * Reads the fee parameters from L1Block storage. op-geth reads them lazily at the first non-deposit tx of a block,
 * i.e. after the block's L1-info deposit has updated them; the block builder calls this at that same point.
 */
export async function readL1FeeParams(state: StateManagerInterface): Promise<L1FeeParams> {
  const l1Block = new Address(hexToBytes(L1_BLOCK))
  const read = async (slot: bigint) => state.getStorage(l1Block, setLengthLeft(bigIntToBytes(slot), 32))
  const scalars = setLengthLeft(await read(SLOT_FEE_SCALARS), 32)
  return {
    l1BaseFee: bytesToBigInt(await read(SLOT_L1_BASE_FEE)),
    l1BlobBaseFee: bytesToBigInt(await read(SLOT_L1_BLOB_BASE_FEE)),
    // baseFeeScalar is the uint32 at Solidity offset 12 (bytes 16..20), blobBaseFeeScalar at offset 8 (bytes 20..24)
    l1BaseFeeScalar: bytesToBigInt(scalars.subarray(16, 20)),
    l1BlobBaseFeeScalar: bytesToBigInt(scalars.subarray(20, 24)),
    overhead: bytesToBigInt(await read(SLOT_OVERHEAD)),
    scalar: bytesToBigInt(await read(SLOT_SCALAR)),
  }
}

/** Fjord: `max(minSize, intercept + coef·fastlzSize) · (16·baseFeeScalar·l1BaseFee + blobScalar·blobBaseFee) / 1e12`. */
export function l1FeeFjord(params: L1FeeParams, fastLzSize: number): L1FeeReceiptFields {
  const l1FeeScaled =
    params.l1BaseFeeScalar * params.l1BaseFee * 16n + params.l1BlobBaseFeeScalar * params.l1BlobBaseFee
  let estimatedSize = L1_COST_INTERCEPT + L1_COST_FASTLZ_COEF * BigInt(fastLzSize)
  if (estimatedSize < MIN_TRANSACTION_SIZE_SCALED) estimatedSize = MIN_TRANSACTION_SIZE_SCALED
  return {
    l1Fee: (estimatedSize * l1FeeScaled) / FJORD_DIVISOR,
    // deprecated since Fjord but still reported by op-geth: the estimate expressed as calldata gas
    l1GasUsed: (estimatedSize * 16n) / 1_000_000n,
    l1GasPrice: params.l1BaseFee,
    l1BlobBaseFee: params.l1BlobBaseFee,
    l1BaseFeeScalar: params.l1BaseFeeScalar,
    l1BlobBaseFeeScalar: params.l1BlobBaseFeeScalar,
  }
}

/** Regolith (Bedrock) formula: `(zeroes·4 + ones·16 + overhead) · l1BaseFee · scalar / 1e6`. */
export function l1FeeBedrock(params: L1FeeParams, serializedTx: Uint8Array): L1FeeReceiptFields {
  let zeroes = 0n
  for (const byte of serializedTx) if (byte === 0) zeroes++
  const ones = BigInt(serializedTx.length) - zeroes
  const l1GasUsed = zeroes * 4n + ones * 16n + params.overhead
  return {
    l1Fee: (l1GasUsed * params.l1BaseFee * params.scalar) / 1_000_000n,
    l1GasUsed,
    l1GasPrice: params.l1BaseFee,
  }
}

/**
 * The L1 data fee function for one block. op-geth falls back to the Bedrock formula while the Ecotone parameters are
 * still unset (blob base fee 0 and both scalars 0): that is the first Ecotone block, or any block before the first
 * L1-info deposit of an Ecotone-at-genesis chain.
 */
export function l1FeeFunction(params: L1FeeParams): (serializedTx: Uint8Array) => L1FeeReceiptFields {
  const ecotoneUnset = params.l1BlobBaseFee === 0n && params.l1BaseFeeScalar === 0n && params.l1BlobBaseFeeScalar === 0n
  if (ecotoneUnset) return (tx) => l1FeeBedrock(params, tx)
  return (tx) => l1FeeFjord(params, flzCompressLen(tx))
}
