import { zeroHash } from 'viem'
import { BlockNotFoundError } from '../errors.js'
import { blockRef, type L1BlockRef, type L2Block, type L2BlockRef, type L2Source, type SyncStatus } from './types.js'

/**
 * An L2Source over blocks held in memory, for tests and benches: the test plays the node, appending blocks (unsafe
 * head) and moving the safe head as it derives what the batcher posted.
 */
export class MemoryL2Source implements L2Source {
  private readonly blocks = new Map<bigint, L2Block>()
  private unsafe: L2BlockRef
  private safe: L2BlockRef
  private finalized: L2BlockRef
  l1Head: L1BlockRef = { hash: zeroHash, number: 0n, parentHash: zeroHash, timestamp: 0n }

  constructor(genesis: L2Block) {
    this.blocks.set(genesis.number, genesis)
    this.unsafe = this.safe = this.finalized = blockRef(genesis)
  }

  /** Appends the next unsafe block; it must extend the unsafe head. */
  addBlock(block: L2Block): void {
    if (block.number !== this.unsafe.number + 1n || block.parentHash !== this.unsafe.hash) {
      throw new Error(`block ${block.number} does not extend the unsafe head ${this.unsafe.number}`)
    }
    this.blocks.set(block.number, block)
    this.unsafe = blockRef(block)
  }

  setSafeHead(number: bigint): void {
    this.safe = blockRef(this.get(number))
  }

  get safeHead(): L2BlockRef {
    return this.safe
  }

  async syncStatus(): Promise<SyncStatus> {
    return {
      currentL1: this.l1Head,
      headL1: this.l1Head,
      safeL1: this.l1Head,
      finalizedL1: this.l1Head,
      unsafeL2: this.unsafe,
      safeL2: this.safe,
      finalizedL2: this.finalized,
    }
  }

  async blockByNumber(number: bigint): Promise<L2Block> {
    return this.get(number)
  }

  private get(number: bigint): L2Block {
    const block = this.blocks.get(number)
    if (!block) throw new BlockNotFoundError(`no L2 block ${number}`, { number })
    return block
  }
}
