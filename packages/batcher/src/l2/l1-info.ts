import { bytesToHex, type Hex, hexToBytes } from 'viem'
import { RpcShapeError } from '../errors.js'

/** `setL1BlockValuesEcotone()` selector: packed fields follow (specs `protocol/ecotone/l1-attributes.md`). */
const ECOTONE_SELECTOR = '0x440a5e20'
/** Bedrock `setL1BlockValues(uint64,uint64,uint256,bytes32,uint64,bytes32,uint256,uint256)`: ABI-encoded words. */
const BEDROCK_SELECTOR = '0x015d8eb9'

export type L1InfoOrigin = { number: bigint; hash: Hex; sequenceNumber: bigint }

/**
 * The L1 origin and sequence number from an L1-info deposit's calldata, as op-batcher's `L1BlockInfoFromBytes`
 * (it needs nothing else of it). Kept to the two fields here until @opl/protocol exports its l1-info codec.
 */
export function decodeL1InfoOrigin(input: Hex): L1InfoOrigin {
  const data = hexToBytes(input)
  const selector = bytesToHex(data.subarray(0, 4))
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  if (selector === ECOTONE_SELECTOR) {
    // selector 4 | baseFeeScalar 4 | blobBaseFeeScalar 4 | sequenceNumber 8 | timestamp 8 | number 8 | baseFee 32 |
    // blobBaseFee 32 | hash 32 | batcherHash 32  = 164 bytes
    if (data.length !== 164)
      throw new RpcShapeError('Ecotone L1-info calldata must be 164 bytes', { length: data.length })
    return {
      sequenceNumber: view.getBigUint64(12),
      number: view.getBigUint64(28),
      hash: bytesToHex(data.subarray(100, 132)),
    }
  }
  if (selector === BEDROCK_SELECTOR) {
    if (data.length !== 4 + 8 * 32)
      throw new RpcShapeError('Bedrock L1-info calldata must be 260 bytes', { length: data.length })
    const word = (i: number) => data.subarray(4 + 32 * i, 4 + 32 * (i + 1))
    return {
      number: BigInt(bytesToHex(word(0))),
      hash: bytesToHex(word(3)),
      sequenceNumber: BigInt(bytesToHex(word(4))),
    }
  }
  throw new RpcShapeError('first tx is not an L1-info deposit', { selector })
}
