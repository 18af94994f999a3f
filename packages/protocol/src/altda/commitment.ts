import { bytesToHex, type Hex, hexToBytes } from 'viem'
import {
  CommitmentHexError,
  CommitmentLengthError,
  EmptyCommitmentError,
  UnknownCommitmentTypeError,
} from './errors.js'

/** op-alt-da `CommitmentType`: the first byte of a commitment. */
export const KECCAK_COMMITMENT_TYPE = 0x00
export const GENERIC_COMMITMENT_TYPE = 0x01

/** Content-addressed commitment `0x00 || keccak256(input)`; derivation re-hashes what the DA server returns. */
export type KeccakCommitment = { type: 'keccak'; hash: Hex }

/**
 * `0x01 || da_layer || payload`: op-node never opens the payload and trusts the DA server to check it. The spec's
 * da_layer bytes: 0x00 EigenDA, 0x0a Avail, 0x0c Celestia (0xff: op-alt-da's test server).
 */
export type GenericCommitment = { type: 'generic'; daLayer: number; payload: Uint8Array }

export type AltDaCommitment = KeccakCommitment | GenericCommitment

/**
 * The commitment bytes as a DA server returns them from `POST /put` and takes them in `/get/0x<hex>` paths: type byte
 * and payload, without the tx-data version byte that only L1 calldata carries.
 */
export function encodeCommitment(commitment: AltDaCommitment): Uint8Array {
  if (commitment.type === 'keccak') {
    const hash = hexToBytes(commitment.hash)
    if (hash.length !== 32)
      throw new CommitmentLengthError('keccak commitment must be 32 bytes', { hash: commitment.hash })
    return Uint8Array.of(KECCAK_COMMITMENT_TYPE, ...hash)
  }
  const { daLayer, payload } = commitment
  if (!Number.isInteger(daLayer) || daLayer < 0 || daLayer > 0xff) {
    throw new CommitmentLengthError('da_layer must be one byte', { daLayer })
  }
  const out = new Uint8Array(2 + payload.length)
  out[0] = GENERIC_COMMITMENT_TYPE
  out[1] = daLayer
  out.set(payload, 2)
  return out
}

/** op-alt-da `DecodeCommitmentData`: keccak payloads are exactly 32 bytes, generic ones at least the da_layer byte. */
export function decodeCommitment(bytes: Uint8Array): AltDaCommitment {
  if (bytes.length === 0) throw new EmptyCommitmentError('empty commitment')
  const type = bytes[0]
  if (type === KECCAK_COMMITMENT_TYPE) {
    if (bytes.length !== 33) {
      throw new CommitmentLengthError('keccak commitment payload must be 32 bytes', { length: bytes.length - 1 })
    }
    return { type: 'keccak', hash: bytesToHex(bytes.subarray(1)) }
  }
  if (type === GENERIC_COMMITMENT_TYPE) {
    if (bytes.length < 2) throw new CommitmentLengthError('generic commitment has no da_layer byte', { length: 0 })
    return { type: 'generic', daLayer: bytes[1] as number, payload: bytes.slice(2) }
  }
  throw new UnknownCommitmentTypeError('unknown commitment type', { commitmentType: type })
}

/** The commitment as it appears in DA server paths: `0x`-prefixed lower-case hex (op-alt-da's client always sends 0x). */
export function commitmentToHex(commitment: AltDaCommitment): Hex {
  return bytesToHex(encodeCommitment(commitment))
}

/** Parses a commitment key from a `/get/` or `/put/` path; `0x` is optional, as eigenda-proxy accepts. */
export function commitmentFromHex(key: string): AltDaCommitment {
  const digits = key.startsWith('0x') || key.startsWith('0X') ? key.slice(2) : key
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new CommitmentHexError('commitment is not even-length hex', { key })
  return decodeCommitment(hexToBytes(`0x${digits}`))
}
