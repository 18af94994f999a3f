import type { Hex } from 'viem'
import type { L1Source } from './l1-source.js'
import type { L1BlockInfo, L1BlockRef, L1BlockTag, L1Receipt } from './types.js'

/**
 * Hides the L1 blocks within `depth` of the L1 head from lookups by number (op-node `confdepth`), so the sequencer
 * does not adopt an origin that a shallow reorg could remove. Lookups by hash are trusted (the caller already chose
 * that block). While the head is unknown (startup) nothing is hidden, as in op-node.
 *
 * Block `n` is visible iff `n == 0 || depth == 0 || n + depth <= head.number`.
 */
export class ConfDepthL1Source implements L1Source {
  constructor(
    private readonly inner: L1Source,
    private readonly depth: bigint,
    private readonly l1Head: () => L1BlockRef | undefined,
  ) {}

  async blockByNumber(number: bigint): Promise<L1BlockInfo | undefined> {
    const head = this.l1Head()
    if (head === undefined || number === 0n || this.depth === 0n || number + this.depth <= head.number) {
      return this.inner.blockByNumber(number)
    }
    return undefined
  }

  blockByHash(hash: Hex): Promise<L1BlockInfo | undefined> {
    return this.inner.blockByHash(hash)
  }

  blockByTag(tag: L1BlockTag): Promise<L1BlockInfo | undefined> {
    return this.inner.blockByTag(tag)
  }

  receipts(block: L1BlockRef): Promise<L1Receipt[]> {
    return this.inner.receipts(block)
  }
}
