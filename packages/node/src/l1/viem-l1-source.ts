import type { Block, Hex, PublicClient, TransactionReceipt } from 'viem'
import { L1InconsistentError, L1UnavailableError } from './errors.js'
import type { L1Source } from './l1-source.js'
import type { L1BlockInfo, L1BlockRef, L1BlockTag, L1Receipt } from './types.js'

/** How many blocks fetched by hash are remembered: a block's contents never change under its hash. */
const BY_HASH_CACHE_SIZE = 256

/**
 * `L1Source` over a viem public client (`eth_getBlockByNumber/ByHash`, `eth_getBlockReceipts`). Build the client with
 * `retryCount: 0`: retrying is the caller's decision (the sequencer retries the whole step, so it never builds on a
 * half-fetched view of L1).
 */
export class ViemL1Source implements L1Source {
  private readonly byHash = new Map<Hex, L1BlockInfo>()

  constructor(private readonly client: PublicClient) {}

  async blockByNumber(number: bigint): Promise<L1BlockInfo | undefined> {
    return this.remember(await this.call(() => this.client.getBlock({ blockNumber: number }), { number }))
  }

  async blockByHash(hash: Hex): Promise<L1BlockInfo | undefined> {
    const cached = this.byHash.get(hash)
    if (cached) return cached
    return this.remember(await this.call(() => this.client.getBlock({ blockHash: hash }), { hash }))
  }

  async blockByTag(tag: L1BlockTag): Promise<L1BlockInfo | undefined> {
    return this.remember(await this.call(() => this.client.getBlock({ blockTag: tag }), { tag }))
  }

  async receipts(block: L1BlockRef | L1BlockInfo): Promise<L1Receipt[]> {
    let receipts: TransactionReceipt[] | undefined
    try {
      receipts = await this.client.getBlockReceipts({ blockHash: block.hash })
    } catch (error) {
      if (!isBlockNotFound(error)) throw unavailable(error, { hash: block.hash })
    }
    // A block we were told about must have receipts; none means the node lost it (reorg) or lags behind its peers.
    if (receipts === undefined || receipts === null) {
      throw new L1InconsistentError('L1 has no receipts for the block', { hash: block.hash, number: block.number })
    }
    if ('transactionCount' in block && receipts.length !== block.transactionCount) {
      throw new L1InconsistentError('L1 returned a different number of receipts than the block has txs', {
        hash: block.hash,
        receipts: receipts.length,
        transactions: block.transactionCount,
      })
    }
    for (const receipt of receipts) {
      if (receipt.blockHash !== block.hash) {
        throw new L1InconsistentError('L1 returned a receipt of another block', {
          hash: block.hash,
          receiptBlockHash: receipt.blockHash,
        })
      }
    }
    return receipts
  }

  private async call(get: () => Promise<Block>, what: Record<string, unknown>): Promise<L1BlockInfo | undefined> {
    try {
      return blockInfo(await get())
    } catch (error) {
      if (isBlockNotFound(error)) return undefined
      throw unavailable(error, what)
    }
  }

  private remember(block: L1BlockInfo | undefined): L1BlockInfo | undefined {
    if (!block) return undefined
    if (this.byHash.size >= BY_HASH_CACHE_SIZE) this.byHash.delete(this.byHash.keys().next().value as Hex)
    this.byHash.set(block.hash, block)
    return block
  }
}

/** viem's transport and RPC errors, by name: a client built from another copy of viem fails `instanceof`. */
const TRANSPORT_ERRORS = new Set([
  'HttpRequestError',
  'RpcRequestError',
  'TimeoutError',
  'WebSocketRequestError',
  'SocketClosedError',
])

function isBlockNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'BlockNotFoundError'
}

function unavailable(error: unknown, details: Record<string, unknown>): Error {
  // An RPC-level error (the node understood the call and refused it, e.g. while syncing or overloaded) is as much a
  // reason to retry as a dead socket. Anything else is a bug in this code and is rethrown as is.
  if (error instanceof Error && (TRANSPORT_ERRORS.has(error.name) || error.name.endsWith('RpcError'))) {
    const message = (error as Error & { shortMessage?: string }).shortMessage ?? error.message.split('\n')[0]
    return new L1UnavailableError(`L1 unavailable: ${message}`, details, { cause: error })
  }
  return error instanceof Error ? error : new Error(String(error))
}

/** viem's block (never pending here, so hash and number are set) → the fields we read. */
export function blockInfo(block: Block): L1BlockInfo {
  if (block.hash === null || block.number === null) throw new L1InconsistentError('L1 returned a pending block')
  return {
    hash: block.hash,
    number: block.number,
    parentHash: block.parentHash,
    timestamp: block.timestamp,
    baseFeePerGas: block.baseFeePerGas ?? 0n,
    excessBlobGas: block.excessBlobGas ?? undefined,
    mixHash: block.mixHash,
    parentBeaconBlockRoot: block.parentBeaconBlockRoot ?? undefined,
    transactionCount: block.transactions.length,
  }
}
