import { decodeMessagePassedLog, L2_TO_L1_MESSAGE_PASSER, MESSAGE_PASSED_TOPIC } from '@opl/protocol'
import { type Address, getAddress, type Hex, type PublicClient } from 'viem'
import type { WithdrawalRecord } from './records.js'

/**
 * `MessagePassed` events of L2 blocks `[from, to]`, as new withdrawal records (status `waiting-for-output`). The
 * L2 tx's sender is read so the relay filter can match the user behind a bridge withdrawal.
 */
export async function scanWithdrawals(
  l2: PublicClient,
  range: { from: bigint; to: bigint },
  relays: (from: Address, sender: Address) => boolean,
): Promise<WithdrawalRecord[]> {
  const logs = await l2.request({
    method: 'eth_getLogs',
    params: [
      {
        address: L2_TO_L1_MESSAGE_PASSER,
        topics: [MESSAGE_PASSED_TOPIC],
        fromBlock: `0x${range.from.toString(16)}`,
        toBlock: `0x${range.to.toString(16)}`,
      },
    ],
  })
  const records: WithdrawalRecord[] = []
  for (const log of logs) {
    if (log.removed) continue
    const message = decodeMessagePassedLog({ topics: log.topics as Hex[], data: log.data })
    const tx = await l2.getTransaction({ hash: log.transactionHash! })
    records.push({
      withdrawalHash: message.withdrawalHash,
      l2TxHash: log.transactionHash!,
      l2BlockNumber: BigInt(log.blockNumber!).toString(),
      from: getAddress(tx.from),
      withdrawal: {
        nonce: message.nonce.toString(),
        sender: message.sender,
        target: message.target,
        value: message.value.toString(),
        gasLimit: message.gasLimit.toString(),
        data: message.data,
      },
      status: 'waiting-for-output',
      relayed: relays(tx.from, message.sender),
      updatedAt: Date.now(),
    })
  }
  return records
}
