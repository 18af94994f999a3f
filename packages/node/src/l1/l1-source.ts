import type { Hex } from 'viem'
import type { L1BlockInfo, L1BlockRef, L1BlockTag, L1Receipt } from './types.js'

/**
 * The L1 as the node sees it (op-node's L1 fetcher). Lookups answer `undefined` when the L1 node does not know the
 * block (not yet mined, reorged away, hidden by confirmation depth); transport failures throw `L1UnavailableError`,
 * inconsistent answers `L1InconsistentError` — both temporary.
 */
export interface L1Source {
  blockByNumber(number: bigint): Promise<L1BlockInfo | undefined>
  blockByHash(hash: Hex): Promise<L1BlockInfo | undefined>
  blockByTag(tag: L1BlockTag): Promise<L1BlockInfo | undefined>
  /** All receipts of the block, in order (the deposit source hashes count logs over the whole block). */
  receipts(block: L1BlockRef): Promise<L1Receipt[]>
}
