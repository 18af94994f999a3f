import { calculateSigRecovery, concatBytes, setLengthLeft } from '@ethereumjs/util'
import createKeccakHash from 'keccak'
import secp256k1 from 'secp256k1'

/**
 * Native keccak256 and ecrecover for ethereumjs' `customCrypto`. Pure-JS ecrecover costs ~1.1 ms and caps a core at
 * ~890 tx/s; the native addon takes ~50 µs (docs/evm-engines.md Item 6). Both packages ship linux-x64 prebuilds.
 */
export function keccak256(data: Uint8Array): Uint8Array {
  const digest = createKeccakHash('keccak256')
    .update(Buffer.from(data.buffer, data.byteOffset, data.byteLength))
    .digest()
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength)
}

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
