import type { RollupConfig } from '@opl/protocol'
import type { Logger } from 'pino'
import { InvalidTransactionError } from '../engine/errors.js'
import { type L2BlockRef, l2BlockRefOf } from '../sequencer/l2-block-ref.js'
import { attributesMismatch } from './consolidation.js'
import type { DerivationChain, DerivedAttributes } from './types.js'

/** What the engine queue did with one set of derived attributes. */
export type SafeBlockDecision =
  /** the unsafe block at that height matched: promoted to safe without executing */
  | { kind: 'consolidated'; ref: L2BlockRef }
  /** no unsafe block there: executed */
  | { kind: 'built'; ref: L2BlockRef }
  /** the unsafe chain disagreed (reason = first mismatch): executed, unsafe blocks above the parent dropped */
  | { kind: 'reorged'; ref: L2BlockRef; reason: string; dropped: bigint }
  /** the payload was invalid (a tx the engine refuses): attributes dropped, op-node pre-Holocene */
  | { kind: 'dropped'; reason: string }

/**
 * op-node's engine queue / attributes handler, pre-Holocene: consolidate derived attributes with the unsafe chain if
 * the block there matches, else force them through the engine (which reorgs the unsafe chain). The node executes
 * through `DerivationChain`; this only decides.
 */
export class EngineQueue {
  constructor(
    private readonly rollup: RollupConfig,
    private readonly chain: DerivationChain,
    private readonly log?: Logger,
  ) {}

  async apply(derived: DerivedAttributes): Promise<SafeBlockDecision> {
    const { parent, attributes } = derived
    const head = await this.chain.head()
    let mismatch: string | undefined
    if (head.number > parent.number) {
      const existing = await this.chain.blockByNumber(parent.number + 1n)
      mismatch = existing ? attributesMismatch(parent, attributes, existing) : 'missing'
      if (existing && !mismatch) return { kind: 'consolidated', ref: l2BlockRefOf(this.rollup, existing) }
      this.log?.warn({ number: parent.number + 1n, mismatch }, 'unsafe block does not match derived attributes')
    }
    try {
      const block = await this.chain.insertSafe(parent, attributes)
      const ref = l2BlockRefOf(this.rollup, block)
      if (mismatch) return { kind: 'reorged', ref, reason: mismatch, dropped: head.number - parent.number }
      return { kind: 'built', ref }
    } catch (error) {
      if (!(error instanceof InvalidTransactionError)) throw error
      const reason = `invalid payload: ${error.message}`
      this.log?.warn({ number: parent.number + 1n, reason }, 'derived payload dropped')
      return { kind: 'dropped', reason }
    }
  }
}
