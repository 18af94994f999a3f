import type { Address, PublicClient } from 'viem'
import { extractTransactionDepositedLogs, getL2TransactionHash } from 'viem/op-stack'
import { portalAbi } from './abis.js'
import type { DepositRecord } from './records.js'

/** `TransactionDeposited` events of L1 blocks `[from, to]` with the L2 deposit tx hash each one derives to. */
export async function scanDeposits(
  l1: PublicClient,
  portal: Address,
  range: { from: bigint; to: bigint },
): Promise<DepositRecord[]> {
  const raw = await l1.getLogs({
    address: portal,
    event: portalAbi.find((x) => x.type === 'event' && x.name === 'TransactionDeposited')!,
    fromBlock: range.from,
    toBlock: range.to,
  })
  return extractTransactionDepositedLogs({ logs: raw }).map((log) => ({
    l1TxHash: log.transactionHash,
    l1BlockNumber: log.blockNumber.toString(),
    logIndex: log.logIndex,
    l2TxHash: getL2TransactionHash({ log }),
    from: log.args.from!,
    to: log.args.to!,
    status: 'pending' as const,
    updatedAt: Date.now(),
  }))
}

/** `included` / `failed` once the deposit's L2 receipt exists; undefined while it does not. */
export async function depositOutcome(
  l2: PublicClient,
  deposit: DepositRecord,
): Promise<Pick<DepositRecord, 'status' | 'l2BlockNumber'> | undefined> {
  const receipt = await l2.getTransactionReceipt({ hash: deposit.l2TxHash }).catch(() => undefined)
  if (!receipt) return undefined
  return { status: receipt.status === 'success' ? 'included' : 'failed', l2BlockNumber: receipt.blockNumber.toString() }
}
