import { bytesToHex, concatBytes, type Hex, hexToBytes } from 'viem'
import { type BytesLike, readUint, toBytesOrUndefined, uintToFixedBytes } from './bytes.js'
import { assertDepositAmounts } from './deposit-fields.js'
import { OpaqueDepositDataError } from './errors.js'

/** mint (32) | value (32) | gas (8) | isCreation (1): the fixed head of version-0 opaque data. */
export const OPAQUE_DATA_HEAD_LENGTH = 73

/** The deposit fields the portal packs into `opaqueData` (version 0). */
export type DepositData = {
  mint: bigint
  value: bigint
  gas: bigint
  isCreation: boolean
  data: Hex
}

/**
 * Splits `abi.encodePacked(mint, value, gasLimit, isCreation, data)`. Any non-zero creation byte means creation, as
 * in op-node (`opaqueData[72] == 0` is the only "call" value); the portal itself only ever writes 0 or 1.
 */
export function decodeOpaqueDepositData(opaqueData: BytesLike): DepositData {
  const bytes = toBytesOrUndefined(opaqueData)
  if (bytes === undefined) throw new OpaqueDepositDataError('opaque data is not hex or bytes', { opaqueData })
  if (bytes.length < OPAQUE_DATA_HEAD_LENGTH) {
    throw new OpaqueDepositDataError('opaque data shorter than 73 bytes', { length: bytes.length })
  }
  return {
    mint: readUint(bytes, 0, 32),
    value: readUint(bytes, 32, 64),
    gas: readUint(bytes, 64, 72),
    isCreation: bytes[72] !== 0,
    data: bytesToHex(bytes.subarray(OPAQUE_DATA_HEAD_LENGTH)),
  }
}

/** The portal's packing of a deposit (op-node `marshalDepositVersion0`). */
export function encodeOpaqueDepositData(deposit: DepositData): Hex {
  assertDepositAmounts(deposit)
  return bytesToHex(
    concatBytes([
      uintToFixedBytes(deposit.mint, 32),
      uintToFixedBytes(deposit.value, 32),
      uintToFixedBytes(deposit.gas, 8),
      Uint8Array.of(deposit.isCreation ? 1 : 0),
      hexToBytes(deposit.data),
    ]),
  )
}
