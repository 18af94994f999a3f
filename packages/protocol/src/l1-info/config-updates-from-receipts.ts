import type { Address } from 'viem'
import type { L1Receipt } from '../deposits/l1-receipt.js'
import { ProtocolError } from '../errors.js'
import { CONFIG_UPDATE_TOPIC, type ConfigUpdate, decodeConfigUpdateLog } from './config-update.js'

/** A `ConfigUpdate` log that could not be decoded, and where it is (receipt, position among its logs). */
export type RejectedConfigUpdate = { receiptIndex: number; indexInReceipt: number; error: ProtocolError }

/**
 * The SystemConfig updates of one L1 block, in order (op-node `UpdateSystemConfigWithL1Receipts`): `ConfigUpdate` logs
 * of successful receipts emitted by the SystemConfig contract. An update that cannot be decoded is skipped, not fatal —
 * the spec says it "is not applied" — and returned in `rejected` so the caller can log it.
 */
export function extractConfigUpdates(args: { receipts: readonly L1Receipt[]; systemConfigAddress: Address }): {
  updates: ConfigUpdate[]
  rejected: RejectedConfigUpdate[]
} {
  const systemConfig = args.systemConfigAddress.toLowerCase()
  const updates: ConfigUpdate[] = []
  const rejected: RejectedConfigUpdate[] = []
  for (const [receiptIndex, receipt] of args.receipts.entries()) {
    if (receipt.status !== 'success') continue
    for (const [indexInReceipt, log] of receipt.logs.entries()) {
      if (log.address.toLowerCase() !== systemConfig || log.topics[0]?.toLowerCase() !== CONFIG_UPDATE_TOPIC) continue
      try {
        updates.push(decodeConfigUpdateLog(log))
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error
        rejected.push({ receiptIndex, indexInReceipt, error })
      }
    }
  }
  return { updates, rejected }
}
