import { UINT64_MAX, UINT256_MAX } from '../deposits/bytes.js'
import { BlobBaseFeeError } from './errors.js'

/** EIP-4844 MIN_BASE_FEE_PER_BLOB_GAS; also the L1-info blob base fee when L1 has no blobs. */
export const MIN_BLOB_BASE_FEE = 1n

/**
 * BLOB_BASE_FEE_UPDATE_FRACTION of the L1 fork active at the L1 origin: Cancun (EIP-4844) and Prague (EIP-7691).
 * BPO forks set other values; pass those as a bigint.
 */
export const BLOB_BASE_FEE_UPDATE_FRACTION = { cancun: 3_338_477n, prague: 5_007_716n } as const

/**
 * e^(numerator/denominator) * factor by EIP-4844's integer Taylor series. The series is only summed while the result
 * can fit a uint256: e^178 > 2^256, and op-node cannot encode a blob base fee wider than that into the L1-info tx
 * anyway (`solabi.WriteUint256`), so such an input is an error here instead of an endless loop.
 */
export function fakeExponential(factor: bigint, numerator: bigint, denominator: bigint): bigint {
  if (factor < 0n || numerator < 0n || denominator <= 0n) {
    throw new BlobBaseFeeError('fake exponential needs factor >= 0, numerator >= 0, denominator > 0', {
      factor,
      numerator,
      denominator,
    })
  }
  if (factor > 0n && numerator >= 178n * denominator) {
    throw new BlobBaseFeeError('exponent of 178 or more: the result exceeds uint256', {
      factor,
      numerator,
      denominator,
    })
  }
  let output = 0n
  let accumulator = factor * denominator
  for (let i = 1n; accumulator > 0n; i++) {
    output += accumulator
    accumulator = (accumulator * numerator) / (denominator * i)
  }
  return output / denominator
}

/** The L1 block's blob base fee from its header's `excessBlobGas` (EIP-4844 `get_base_fee_per_blob_gas`). */
export function computeBlobBaseFee(excessBlobGas: bigint, updateFraction: bigint): bigint {
  if (excessBlobGas < 0n || excessBlobGas > UINT64_MAX) {
    throw new BlobBaseFeeError('excessBlobGas must be a uint64', { field: 'excessBlobGas', value: excessBlobGas })
  }
  const fee = fakeExponential(MIN_BLOB_BASE_FEE, excessBlobGas, updateFraction)
  if (fee > UINT256_MAX) throw new BlobBaseFeeError('blob base fee exceeds uint256', { excessBlobGas, updateFraction })
  return fee
}
