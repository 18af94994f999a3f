import { type ByteArray, keccak256 } from 'viem'
import type { KeccakCommitment } from './commitment.js'
import { CommitmentMismatchError } from './errors.js'

/**
 * op-alt-da `MaxInputSize` (131072 - 400): derivation skips keccak-committed inputs larger than this, because the
 * DataAvailabilityChallenge contract could not resolve a challenge over them. Generic commitments are exempt.
 */
export const MAX_KECCAK_INPUT_SIZE = 130_672

/** The commitment of `input` (the batcher payload, including its leading 0x00 derivation version byte). */
export function keccakCommitment(input: ByteArray): KeccakCommitment {
  return { type: 'keccak', hash: keccak256(input) }
}

/** op-node's verify-on-read: throws `CommitmentMismatchError` unless `input` hashes to the commitment. */
export function verifyKeccakCommitment(commitment: KeccakCommitment, input: ByteArray): void {
  const actual = keccak256(input)
  if (actual !== commitment.hash.toLowerCase()) {
    throw new CommitmentMismatchError('data does not match its keccak commitment', {
      hash: commitment.hash,
      actual,
    })
  }
}
