import { bytesToHex } from 'viem'
import { type BytesLike, toBytesOrUndefined } from '../deposits/bytes.js'
import { decodeL1InfoBedrock, L1_INFO_BEDROCK_SELECTOR, type L1BlockInfoBedrock } from './bedrock-calldata.js'
import { decodeL1InfoEcotone, L1_INFO_ECOTONE_SELECTOR, type L1BlockInfoEcotone } from './ecotone-calldata.js'
import { L1InfoLengthError, L1InfoSelectorError } from './errors.js'

export type L1BlockInfo = ({ kind: 'ecotone' } & L1BlockInfoEcotone) | ({ kind: 'bedrock' } & L1BlockInfoBedrock)

/**
 * Decodes the first transaction's calldata of an L2 block whatever its variant, as op-node's `L1BlockInfoFromBytes`:
 * the node, batcher and proposer recover an L2 block's L1 origin and sequence number from it.
 */
export function decodeL1BlockInfo(calldata: BytesLike): L1BlockInfo {
  const bytes = toBytesOrUndefined(calldata)
  if (bytes === undefined || bytes.length < 4)
    throw new L1InfoLengthError('L1-info calldata is shorter than a selector', { calldata })
  const selector = bytesToHex(bytes.subarray(0, 4))
  if (selector === L1_INFO_ECOTONE_SELECTOR) return { kind: 'ecotone', ...decodeL1InfoEcotone(bytes) }
  if (selector === L1_INFO_BEDROCK_SELECTOR) return { kind: 'bedrock', ...decodeL1InfoBedrock(bytes) }
  throw new L1InfoSelectorError('not L1-info calldata', {
    selector,
    expected: [L1_INFO_ECOTONE_SELECTOR, L1_INFO_BEDROCK_SELECTOR],
  })
}
