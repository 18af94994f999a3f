import {
  type BatchData,
  deriveSpanBatch,
  isForkActive,
  type RollupConfig,
  readChannel,
  type SingularBatch,
  type SpanBatch,
} from '@opl/protocol'
import type { Logger } from 'pino'
import type { L1BlockRef } from '../l1/types.js'
import type { ChannelBank } from './channel-bank.js'
import { NotEnoughData } from './errors.js'
import type { ResettableStage } from './types.js'

/** A batch as the batch queue sees it. Span batches are already derived (per-block times, origins, full txs). */
export type Batch = { type: 'singular'; batch: SingularBatch } | { type: 'span'; batch: SpanBatch }

/**
 * op-node `ChannelInReader`: decompresses each channel with the zip-bomb limit (MAX_RLP_BYTES_PER_CHANNEL), then hands
 * out its batches in order. Batches decoded before a truncation, corruption or the size limit are kept (op-node reads
 * them one by one and skips the rest of the channel at the first failure). Span batches before Delta are skipped.
 */
export class ChannelReader implements ResettableStage {
  private pending: BatchData[] = []

  constructor(
    private readonly rollup: RollupConfig,
    private readonly bank: ChannelBank,
    private readonly log?: Logger,
    private readonly onDrop?: (reason: string) => void,
  ) {}

  get origin(): L1BlockRef {
    return this.bank.origin
  }

  async nextBatch(): Promise<Batch> {
    if (this.pending.length === 0) {
      const channel = await this.bank.nextData()
      const fjord = isForkActive(this.rollup, 'fjord', this.origin.timestamp)
      try {
        const read = readChannel(channel.data, { fjord })
        this.pending = read.batches
        if (read.stop)
          this.drop(`channel ${channel.id} read stopped after ${read.batches.length} batches: ${read.stop.message}`)
      } catch (error) {
        this.drop(`channel ${channel.id} unreadable: ${(error as Error).message}`)
      }
      throw new NotEnoughData('channel read')
    }
    const data = this.pending.shift()!
    if (data.type === 'singular') return data
    if (!isForkActive(this.rollup, 'delta', this.origin.timestamp)) {
      this.drop('span batch before Delta')
      this.pending = []
      throw new NotEnoughData('span batch before Delta')
    }
    try {
      const batch = deriveSpanBatch(data.batch, {
        genesisTime: this.rollup.genesis.l2Time,
        blockTime: this.rollup.blockTime,
        chainId: BigInt(this.rollup.l2ChainId),
      })
      return { type: 'span', batch }
    } catch (error) {
      // op-node: a span batch that cannot be derived ends the channel.
      this.drop(`span batch underivable: ${(error as Error).message}`)
      this.pending = []
      throw new NotEnoughData('span batch underivable')
    }
  }

  private drop(reason: string): void {
    this.log?.warn({ origin: this.origin.number, reason }, 'channel data dropped')
    this.onDrop?.(reason)
  }

  reset(): void {
    this.pending = []
  }
}
