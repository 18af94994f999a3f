import type { Address, Hex } from 'viem'
import { decodeDepositLog, TRANSACTION_DEPOSITED_TOPIC } from './deposit-log.js'
import type { DepositTransaction } from './deposit-transaction.js'
import { DepositReceiptsError } from './errors.js'
import type { L1Receipt } from './l1-receipt.js'

/**
 * The user deposits of one L1 block, in order (op-node `UserDeposits`): logs of successful receipts emitted by the
 * deposit contract with the `TransactionDeposited` topic. A log's index is its position among all logs of the block,
 * which the source hash commits to, so all receipts of the block must be given, in order.
 *
 * A malformed deposit log throws its typed error (op-node collects them and derivation then stops with a critical
 * error: an L1 block whose deposits cannot be read cannot be derived from).
 */
export function extractUserDeposits(args: {
  receipts: readonly L1Receipt[]
  depositContractAddress: Address
  l1BlockHash: Hex
}): DepositTransaction[] {
  const { receipts, depositContractAddress, l1BlockHash } = args
  const contract = depositContractAddress.toLowerCase()
  const deposits: DepositTransaction[] = []
  let logIndex = 0
  for (const [receiptIndex, receipt] of receipts.entries()) {
    for (const log of receipt.logs) {
      assertConsistent(log, logIndex, receiptIndex, l1BlockHash)
      if (
        receipt.status === 'success' &&
        log.address.toLowerCase() === contract &&
        log.topics[0]?.toLowerCase() === TRANSACTION_DEPOSITED_TOPIC
      ) {
        deposits.push(decodeDepositLog({ topics: log.topics, data: log.data, blockHash: l1BlockHash, logIndex }))
      }
      logIndex++
    }
  }
  return deposits
}

function assertConsistent(
  log: L1Receipt['logs'][number],
  logIndex: number,
  receiptIndex: number,
  l1BlockHash: Hex,
): void {
  if (log.logIndex !== undefined && log.logIndex !== null && BigInt(log.logIndex) !== BigInt(logIndex)) {
    throw new DepositReceiptsError('log index does not match its position in the block: are receipts missing?', {
      receiptIndex,
      logIndex: log.logIndex,
      expected: logIndex,
    })
  }
  if (
    log.blockHash !== undefined &&
    log.blockHash !== null &&
    log.blockHash.toLowerCase() !== l1BlockHash.toLowerCase()
  ) {
    throw new DepositReceiptsError('log belongs to another block', { receiptIndex, logIndex, blockHash: log.blockHash })
  }
}
