import { type AltDaCommitment, decodeCommitment, encodeCommitment } from './commitment.js'
import { EmptyCommitmentError, TxDataVersionError } from './errors.js'

/**
 * Batcher tx-data version for alt-DA commitments (op-alt-da `TxDataVersion1`); version 0x00 means frames follow.
 * Only L1 calldata carries it: op-batcher prepends it, DA servers never see it.
 */
export const ALT_DA_TX_DATA_VERSION = 0x01

/** The calldata of a batcher tx in alt-DA mode: `0x01 || commitment type || payload`. */
export function encodeCommitmentTxData(commitment: AltDaCommitment): Uint8Array {
  const encoded = encodeCommitment(commitment)
  const out = new Uint8Array(1 + encoded.length)
  out[0] = ALT_DA_TX_DATA_VERSION
  out.set(encoded, 1)
  return out
}

/** Reads the commitment from batcher calldata; derivation routes data starting with 0x00 to the frame parser instead. */
export function decodeCommitmentTxData(calldata: Uint8Array): AltDaCommitment {
  if (calldata.length === 0) throw new EmptyCommitmentError('empty batcher calldata')
  if (calldata[0] !== ALT_DA_TX_DATA_VERSION) {
    throw new TxDataVersionError('not alt-DA calldata', { version: calldata[0] })
  }
  return decodeCommitment(calldata.subarray(1))
}
