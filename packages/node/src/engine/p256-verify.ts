import { type CustomPrecompile, EVMError, type PrecompileInput } from '@ethereumjs/evm'
import { createAddressFromString } from '@ethereumjs/util'
import { p256 } from '@noble/curves/nist.js'

/** RIP-7212's address and price as OP chains have them since Fjord (op-geth `p256Verify`, `params.P256VerifyGas`). */
export const P256_VERIFY_ADDRESS = '0x0000000000000000000000000000000000000100'
export const P256_VERIFY_GAS = 3450n

const N = p256.Point.CURVE().n
const VALID = new Uint8Array(32)
VALID[31] = 1

const toBigInt = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`)

/**
 * secp256r1 signature verification (RIP-7212): input hash ‖ r ‖ s ‖ x ‖ y (160 bytes); 32-byte 1 when the signature
 * is valid for that public key and hash, empty output otherwise (wrong length, r or s outside (0, n), a key off the
 * curve) — never a revert, and the gas is charged either way. The hash is used as given (no pre-hashing) and high-s
 * signatures are valid, as in op-geth.
 */
export function p256Verify(input: PrecompileInput) {
  if (input.gasLimit < P256_VERIFY_GAS) {
    return {
      returnValue: new Uint8Array(0),
      executionGasUsed: input.gasLimit,
      exceptionError: new EVMError(EVMError.errorMessages.OUT_OF_GAS),
    }
  }
  const invalid = { executionGasUsed: P256_VERIFY_GAS, returnValue: new Uint8Array(0) }
  const data = input.data
  if (data.length !== 160) return invalid
  const r = toBigInt(data.subarray(32, 64))
  const s = toBigInt(data.subarray(64, 96))
  if (r === 0n || r >= N || s === 0n || s >= N) return invalid
  try {
    const key = p256.Point.fromAffine({ x: toBigInt(data.subarray(96, 128)), y: toBigInt(data.subarray(128, 160)) })
    key.assertValidity()
    const valid = p256.verify(data.subarray(32, 96), data.subarray(0, 32), key.toBytes(false), {
      prehash: false,
      lowS: false,
    })
    return valid ? { executionGasUsed: P256_VERIFY_GAS, returnValue: VALID } : invalid
  } catch {
    return invalid
  }
}

/** For `createVM({ evmOpts: { customPrecompiles } })`: ethereumjs activates 0x100 only with EIP-7951 (Osaka, 6900 gas). */
export const opPrecompiles: CustomPrecompile[] = [
  { address: createAddressFromString(P256_VERIFY_ADDRESS), function: p256Verify },
]
