/** Shanghai/Cancun intrinsic gas constants (EIP-2028 calldata, EIP-3860 initcode words). */
const TX_GAS = 21_000n
const TX_CREATE_GAS = 53_000n
const ZERO_BYTE_GAS = 4n
const NONZERO_BYTE_GAS = 16n
const INITCODE_WORD_GAS = 2n
export const MAX_INITCODE_SIZE = 49_152

/**
 * Intrinsic gas of a tx without access list: the deposit path needs it before running the EVM itself (signed txs use
 * ethereumjs' `getIntrinsicGas`, which also prices access lists).
 */
export function intrinsicGas(data: Uint8Array, isCreation: boolean): bigint {
  let gas = isCreation ? TX_CREATE_GAS : TX_GAS
  for (const byte of data) gas += byte === 0 ? ZERO_BYTE_GAS : NONZERO_BYTE_GAS
  if (isCreation) gas += INITCODE_WORD_GAS * BigInt(Math.ceil(data.length / 32))
  return gas
}
