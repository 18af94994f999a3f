import { MessageNonceError } from './errors.js'

/** Encoding.encodeVersionedNonce: the version sits in the top 16 bits, the counter in the low 240. */
const VERSION_SHIFT = 240n
const COUNTER_MASK = (1n << VERSION_SHIFT) - 1n

/** L2ToL1MessagePasser.MESSAGE_VERSION in contracts 0.17.x. */
export const MESSAGE_PASSER_VERSION = 1

export type MessageNonce = { version: number; counter: bigint }

export function encodeMessageNonce({ version, counter }: MessageNonce): bigint {
  if (!Number.isInteger(version) || version < 0 || version > 0xffff) {
    throw new MessageNonceError('version must fit 16 bits', { version })
  }
  if (counter < 0n || counter > COUNTER_MASK) throw new MessageNonceError('counter must fit 240 bits', { counter })
  return (BigInt(version) << VERSION_SHIFT) | counter
}

export function decodeMessageNonce(nonce: bigint): MessageNonce {
  if (nonce < 0n || nonce >> 256n !== 0n) throw new MessageNonceError('nonce must be a uint256', { nonce })
  return { version: Number(nonce >> VERSION_SHIFT), counter: nonce & COUNTER_MASK }
}
