import type { Address, Hex } from 'viem'

/** The withdrawal lifecycle; `failed` is terminal and carries the reason. */
export type WithdrawalStatus =
  | 'waiting-for-output'
  | 'ready-to-prove'
  | 'proven'
  | 'ready-to-finalize'
  | 'finalized'
  | 'failed'

export type WithdrawalRecord = {
  withdrawalHash: Hex
  l2TxHash: Hex
  l2BlockNumber: string
  /** The account that sent the L2 tx (for a bridge withdrawal: the user, not the messenger). */
  from: Address
  withdrawal: { nonce: string; sender: Address; target: Address; value: string; gasLimit: string; data: Hex }
  status: WithdrawalStatus
  /** Whether this relayer sends the L1 txs for it (all, or the listed addresses); others are only tracked. */
  relayed: boolean
  l2OutputIndex?: string
  proveTxHash?: Hex
  finalizeTxHash?: Hex
  /** Why it failed, or the last transient error. */
  error?: string
  updatedAt: number
}

export type DepositStatus = 'pending' | 'included' | 'failed'

export type DepositRecord = {
  l1TxHash: Hex
  l1BlockNumber: string
  logIndex: number
  l2TxHash: Hex
  from: Address
  to: Address
  status: DepositStatus
  l2BlockNumber?: string
  updatedAt: number
}

/** Everything the relayer persists. Quantities are decimal strings: JSON has no exact big integers. */
export type RelayerState = {
  version: 1
  /** Next L1 block to scan for TransactionDeposited. */
  l1Cursor: string
  /** Next L2 block to scan for MessagePassed. */
  l2Cursor: string
  withdrawals: Record<Hex, WithdrawalRecord>
  deposits: Record<string, DepositRecord>
}

export const TERMINAL: ReadonlySet<WithdrawalStatus> = new Set(['finalized', 'failed'])

/** Deposits are keyed by `l1TxHash:logIndex`: one L1 tx can hold several. */
export const depositKey = (l1TxHash: Hex, logIndex: number) => `${l1TxHash.toLowerCase()}:${logIndex}`
