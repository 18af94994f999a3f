import type { Block } from '@ethereumjs/block'
import type { VM } from '@ethereumjs/vm'
import type { L1FeeReceiptFields } from './l1-fee.js'

/** Mutable per-block execution state shared by the deposit and transaction paths. */
export type BlockContext = {
  vm: VM
  /** header-only block the EVM reads (number, timestamp, coinbase, baseFee, prevRandao, gasLimit) */
  env: Block
  /** sum of the receipts' gasUsed: the header's gasUsed */
  gasUsed: bigint
  /**
   * geth's GasPool: gas still available to txs. It tracks `gasUsed` except for a failing system deposit, which
   * reports its gas limit as used without drawing on the pool (op-geth state_transition.go).
   */
  gasPool: bigint
  /** L1 data fee function, read from L1Block storage at the block's first non-deposit tx (after its deposits) */
  l1Fee?: (serializedTx: Uint8Array) => L1FeeReceiptFields
}
