import type { Hex } from 'viem'
import { ProtocolError } from '../errors.js'

/** A value typed as hex that is not: odd length or a non-hex digit. */
export class InvalidHexError extends ProtocolError {
  override name = 'InvalidHexError'
}

/** Buffer-backed hex conversion: viem's loops dominate profiles on megabyte-sized tx data. */
export function toHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')}`
}

/** Strict inverse of `toHex`: even length, hex digits only (Buffer would silently stop at a bad digit). */
export function fromHex(hex: Hex): Uint8Array {
  const digits = hex.slice(2)
  if (digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits))
    throw new InvalidHexError('invalid hex string', { hex: hex.slice(0, 66) })
  const buffer = Buffer.from(digits, 'hex')
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length)
}
