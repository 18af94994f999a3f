import { bytesToHex, concatBytes, type Hex, hexToBytes } from 'viem'
import { isAllZero, readUint, uintToFixedBytes } from '../deposits/bytes.js'
import { ScalarPaddingError, ScalarVersionError } from './errors.js'
import { assertBytes32, assertUint32 } from './field-checks.js'

/** Ecotone's L1-fee scalars, carried in the SystemConfig `scalar` word. */
export type EcotoneScalars = { baseFeeScalar: number; blobBaseFeeScalar: number }

export const SCALAR_VERSION = { bedrock: 0, ecotone: 1 } as const

const MAX_UINT32 = 0xffff_ffff

/** Version-1 scalar: `0x01 || 23 zero bytes || blobBaseFeeScalar u32 || baseFeeScalar u32` (op-service EncodeScalar). */
export function encodeEcotoneScalar(scalars: EcotoneScalars): Hex {
  assertUint32('baseFeeScalar', scalars.baseFeeScalar)
  assertUint32('blobBaseFeeScalar', scalars.blobBaseFeeScalar)
  return bytesToHex(
    concatBytes([
      Uint8Array.of(SCALAR_VERSION.ecotone),
      new Uint8Array(23),
      uintToFixedBytes(BigInt(scalars.blobBaseFeeScalar), 4),
      uintToFixedBytes(BigInt(scalars.baseFeeScalar), 4),
    ]),
  )
}

/**
 * Whether a scalar may be applied by a post-Ecotone `ConfigUpdate` (op-service CheckEcotoneL1SystemConfigScalar):
 * version 0 needs bytes 1..27 zero, version 1 bytes 1..23 zero, other versions are rejected. op-node ignores an update
 * that fails this and keeps the previous scalar.
 */
export function assertValidEcotoneScalar(scalar: Hex): void {
  const bytes = scalarBytes(scalar)
  const version = bytes[0]
  if (version === SCALAR_VERSION.bedrock) {
    if (!isAllZero(bytes.subarray(1, 28)))
      throw new ScalarPaddingError('version 0 scalar padding is not zero', { scalar })
    return
  }
  if (version === SCALAR_VERSION.ecotone) {
    if (!isAllZero(bytes.subarray(1, 24)))
      throw new ScalarPaddingError('version 1 scalar padding is not zero', { scalar })
    return
  }
  throw new ScalarVersionError('unknown scalar version', { scalar, version })
}

/**
 * The scalars the L1-info tx carries (op-service `SystemConfig.EcotoneScalars`). Version 0: baseFeeScalar from bytes
 * 28..31, blobBaseFeeScalar 0 — and MaxUint32 as baseFeeScalar if the padding is not zero, as the spec mandates for a
 * scalar set before Ecotone. Version 1: both from bytes 24..31, padding must be zero. Other versions throw.
 */
export function decodeEcotoneScalar(scalar: Hex): EcotoneScalars {
  const bytes = scalarBytes(scalar)
  try {
    assertValidEcotoneScalar(scalar)
  } catch (error) {
    if (error instanceof ScalarPaddingError && bytes[0] === SCALAR_VERSION.bedrock) {
      return { baseFeeScalar: MAX_UINT32, blobBaseFeeScalar: 0 }
    }
    throw error
  }
  return {
    baseFeeScalar: Number(readUint(bytes, 28, 32)),
    blobBaseFeeScalar: bytes[0] === SCALAR_VERSION.ecotone ? Number(readUint(bytes, 24, 28)) : 0,
  }
}

function scalarBytes(scalar: Hex): Uint8Array {
  assertBytes32('scalar', scalar)
  return hexToBytes(scalar)
}
