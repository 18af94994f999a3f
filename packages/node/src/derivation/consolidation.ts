import { bytesToHex, equalsBytes } from '@ethereumjs/util'
import { DEPOSIT_TX_TYPE } from '@opl/protocol'
import type { PayloadAttributes } from '../engine/block-builder.js'
import type { L2Block, L2BlockRef } from '../sequencer/l2-block-ref.js'

/**
 * op-node `AttributesMatchBlock`: does the existing unsafe block hold exactly what the derived attributes say? Parent,
 * timestamp, prevRandao (mixHash), fee recipient, gas limit, the parent beacon root and the tx list byte for byte.
 * Withdrawals are `[]` on every block of our chain (Canyon at genesis), so the header's withdrawals root always
 * matches. Returns the first mismatch, or undefined when the block matches.
 */
export function attributesMismatch(
  parent: L2BlockRef,
  attributes: PayloadAttributes,
  block: L2Block,
): string | undefined {
  const header = block.header
  if (bytesToHex(header.parentHash) !== parent.hash) return 'parent hash'
  if (header.timestamp !== attributes.timestamp) return 'timestamp'
  if (bytesToHex(header.mixHash).toLowerCase() !== attributes.prevRandao.toLowerCase()) return 'prevRandao'
  if (header.coinbase.toString().toLowerCase() !== attributes.suggestedFeeRecipient.toLowerCase())
    return 'fee recipient'
  if (header.gasLimit !== attributes.gasLimit) return 'gas limit'
  const beaconRoot = header.parentBeaconBlockRoot ? bytesToHex(header.parentBeaconBlockRoot) : undefined
  if (beaconRoot?.toLowerCase() !== attributes.parentBeaconBlockRoot.toLowerCase()) return 'parent beacon root'
  if (block.transactions.length !== attributes.transactions.length) return 'transaction count'
  for (let i = 0; i < block.transactions.length; i++) {
    if (!equalsBytes(block.transactions[i]!.raw, attributes.transactions[i]!.raw)) {
      return block.transactions[i]!.raw[0] === DEPOSIT_TX_TYPE ? `deposit ${i}` : `transaction ${i}`
    }
  }
  return undefined
}
