import { calculateSigRecovery, concatBytes, setLengthLeft } from '@ethereumjs/util'
import { keccak256 } from '@opl/service-kit'
import secp256k1 from 'secp256k1'

/**
 * Native keccak256 (service-kit's) and ecrecover for ethereumjs' `customCrypto`. Pure-JS ecrecover costs ~1.1 ms and
 * caps a core at ~890 tx/s; the native addon takes ~50 µs (docs/evm-engines.md Item 6). Both packages ship
 * linux-x64 prebuilds.
 */
export { keccak256 }

export class InvalidSignatureError extends Error {
  override name = 'InvalidSignatureError'
  constructor(
    message: string,
    readonly details: { v: bigint },
  ) {
    super(message)
  }
}

/** Same contract as @ethereumjs/util `ecrecover`: returns the 64-byte uncompressed public key without its 0x04 prefix. */
export function ecrecover(msgHash: Uint8Array, v: bigint, r: Uint8Array, s: Uint8Array, chainId?: bigint): Uint8Array {
  const recovery = calculateSigRecovery(v, chainId)
  if (recovery !== 0n && recovery !== 1n) throw new InvalidSignatureError('invalid signature v value', { v })
  const signature = concatBytes(setLengthLeft(r, 32), setLengthLeft(s, 32))
  return secp256k1.ecdsaRecover(signature, Number(recovery), msgHash, false).slice(1)
}

const HEX = '0123456789abcdef'

/**
 * EIP-55 checksummed address with the native keccak (viem's `getAddress` hashes with pure-JS keccak: ~6 % of pool
 * admission per tx).
 */
export function checksumAddress(address: Uint8Array): `0x${string}` {
  let lower = ''
  for (const byte of address) lower += HEX[byte >> 4]! + HEX[byte & 0x0f]!
  const hash = keccak256(Buffer.from(lower, 'latin1'))
  let out = '0x'
  for (let i = 0; i < 40; i++) {
    const nibble = i & 1 ? hash[i >> 1]! & 0x0f : hash[i >> 1]! >> 4
    out += nibble >= 8 ? lower[i]!.toUpperCase() : lower[i]!
  }
  return out as `0x${string}`
}
