import type { Address, Hex, PublicClient } from 'viem'
import { L1InconsistentError, L1UnavailableError } from '../l1/errors.js'
import type { L1BlockRef } from '../l1/types.js'

/** The fields of an L1 tx that L1 retrieval reads (viem's `Transaction` fits). */
export type L1Transaction = {
  hash: Hex
  from: Address
  to: Address | null
  input: Hex
  /** EIP-2718 type, 0..3 (0x7e on OP-stack L1s) */
  typeHex?: Hex | null
}

/**
 * Transactions of an L1 block. Kept apart from `L1Source` (which only carries headers and receipts) so the sequencer,
 * which never reads calldata, does not pay for full blocks.
 */
export interface L1TransactionSource {
  transactions(block: L1BlockRef): Promise<L1Transaction[]>
}

/**
 * Over a viem client (`eth_getBlockByHash` with full txs). The sender is the one the L1 node recovered: op-node
 * recovers it itself, with the same result for any honest node.
 */
export class ViemL1TransactionSource implements L1TransactionSource {
  constructor(private readonly client: PublicClient) {}

  async transactions(block: L1BlockRef): Promise<L1Transaction[]> {
    let full: Awaited<ReturnType<PublicClient['getBlock']>> | undefined
    try {
      full = await this.client.getBlock({ blockHash: block.hash, includeTransactions: true })
    } catch (error) {
      if (error instanceof Error && error.name === 'BlockNotFoundError') full = undefined
      else {
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
        throw new L1UnavailableError(`L1 unavailable: ${message}`, { hash: block.hash }, { cause: error })
      }
    }
    if (!full) throw new L1InconsistentError('L1 has no block for a known hash', { hash: block.hash })
    return full.transactions.map((tx) =>
      typeof tx === 'string'
        ? unexpected(block)
        : { hash: tx.hash, from: tx.from, to: tx.to, input: tx.input, typeHex: tx.typeHex },
    )
  }
}

function unexpected(block: L1BlockRef): never {
  throw new L1InconsistentError('L1 returned tx hashes although full txs were asked', { hash: block.hash })
}

/** In-memory txs by block hash, for tests and recorded data (pairs with `MemoryL1Source`). */
export class MemoryL1TransactionSource implements L1TransactionSource {
  private readonly byBlock = new Map<Hex, L1Transaction[]>()

  set(block: Pick<L1BlockRef, 'hash'>, txs: L1Transaction[]): void {
    this.byBlock.set(block.hash, txs)
  }

  async transactions(block: L1BlockRef): Promise<L1Transaction[]> {
    return this.byBlock.get(block.hash) ?? []
  }
}
