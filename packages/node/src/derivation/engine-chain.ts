import type { RollupConfig } from '@opl/protocol'
import { bytesToHex } from 'viem'
import type { PayloadAttributes, SealedBlock } from '../engine/block-builder.js'
import type { Engine } from '../engine/engine.js'
import { type L2Block, type L2BlockRef, l2BlockRefOf } from '../sequencer/l2-block-ref.js'
import type { DerivationChain, SafeOrigin } from './types.js'

/** BLOCKHASH looks back 256 blocks. */
const BLOCKHASH_WINDOW = 256n

/**
 * `DerivationChain` over an engine with the canonical blocks kept in memory: the verifier in tests and benches, and
 * the reference for how the node's store should behave (append on build, truncate above the parent on a reorg).
 * `onBlock` sees every block made head, so a test can feed a batcher or compare hashes.
 */
export class EngineChain implements DerivationChain {
  private readonly blocks: L2Block[]
  safe: L2BlockRef | undefined
  finalized: L2BlockRef | undefined
  /** The last safe-block → L1-block record (what the node's store persists). */
  safeOrigin: SafeOrigin | undefined
  onBlock: ((block: SealedBlock) => void) | undefined

  constructor(
    private readonly rollup: RollupConfig,
    readonly engine: Engine,
  ) {
    this.blocks = [{ header: engine.genesis, transactions: [] }]
  }

  async head(): Promise<L2BlockRef> {
    return l2BlockRefOf(this.rollup, this.blocks.at(-1)!)
  }

  async blockByNumber(number: bigint): Promise<L2Block | undefined> {
    return number < 0n ? undefined : this.blocks[Number(number)]
  }

  /** Appends a block built elsewhere on this engine (the sequencer's path in tests). */
  async commitUnsafe(sealed: SealedBlock): Promise<void> {
    await this.engine.commit(sealed)
    this.blocks.push(sealed)
    this.onBlock?.(sealed)
  }

  async insertSafe(parent: L2BlockRef, attributes: PayloadAttributes): Promise<L2Block> {
    const parentBlock = this.blocks[Number(parent.number)]
    if (!parentBlock || bytesToHex(parentBlock.header.hash()) !== parent.hash) {
      throw new Error(`parent ${parent.number} is not canonical`)
    }
    await this.rewind(parent.number)
    const sealed = await this.engine.buildBlock(attributes)
    this.blocks.push(sealed)
    this.onBlock?.(sealed)
    return sealed
  }

  /**
   * Drops the canonical blocks above `number` and moves the engine head there (the node's unsafe-head rewind, e.g.
   * when the L1 origin of unsafe blocks was reorged out). No-op when `number` is the head.
   */
  async rewind(number: bigint): Promise<void> {
    const target = this.blocks[Number(number)]
    if (number < 0n || !target) throw new Error(`cannot rewind to ${number}: not a canonical block`)
    if (this.blocks.length - 1 === Number(number)) return
    this.blocks.length = Number(number) + 1
    const from = number > BLOCKHASH_WINDOW ? number - BLOCKHASH_WINDOW : 0n
    const recent: [bigint, Uint8Array][] = []
    for (let n = from; n <= number; n++) recent.push([n, this.blocks[Number(n)]!.header.hash()])
    await this.engine.setHead(target.header, recent)
  }

  async updateForkchoice(heads: { safe: L2BlockRef; finalized: L2BlockRef }): Promise<void> {
    this.safe = heads.safe
    this.finalized = heads.finalized
  }

  async saveSafeOrigin(record: SafeOrigin): Promise<void> {
    this.safeOrigin = record
  }

  async loadSafeOrigin(): Promise<SafeOrigin | undefined> {
    return this.safeOrigin
  }
}
