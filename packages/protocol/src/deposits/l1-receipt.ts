import type { Address, Hex } from 'viem'

/** The parts of an L1 log that derivation reads; viem's `Log` fits. */
export type L1Log = {
  address: Address
  topics: readonly Hex[]
  data: Hex
  /** When present, checked against the log's position in the block. */
  logIndex?: number | bigint | null
  /** When present, checked against the block being derived from. */
  blockHash?: Hex | null
}

/** The parts of an L1 receipt that derivation reads; viem's `TransactionReceipt` fits. */
export type L1Receipt = {
  status: 'success' | 'reverted'
  logs: readonly L1Log[]
}
