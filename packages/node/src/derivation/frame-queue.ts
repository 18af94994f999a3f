import { type Frame, parseFrames } from '@opl/protocol'
import type { Logger } from 'pino'
import type { L1BlockRef } from '../l1/types.js'
import { NotEnoughData } from './errors.js'
import type { L1Retrieval } from './l1-retrieval.js'
import type { ResettableStage } from './types.js'

/**
 * op-node `FrameQueue` (pre-Holocene): parses each data item into frames and hands them out one at a time. A data item
 * with any invalid frame is dropped whole (op-node `ParseFrames`), and derivation goes on.
 */
export class FrameQueue implements ResettableStage {
  private frames: Frame[] = []

  constructor(
    private readonly retrieval: L1Retrieval,
    private readonly log?: Logger,
    private readonly onDrop?: (reason: string) => void,
  ) {}

  get origin(): L1BlockRef {
    return this.retrieval.origin
  }

  async nextFrame(): Promise<Frame> {
    if (this.frames.length === 0) {
      const data = await this.retrieval.nextData()
      try {
        this.frames = parseFrames(data)
      } catch (error) {
        const reason = `invalid frames: ${(error as Error).message}`
        this.log?.warn({ origin: this.origin.number, reason }, 'batcher data dropped')
        this.onDrop?.(reason)
        throw new NotEnoughData(reason)
      }
    }
    return this.frames.shift()!
  }

  reset(): void {
    this.frames = []
  }
}
