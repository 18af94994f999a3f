import type { RollupConfig } from '@opl/protocol'
import type { TxManager } from '@opl/txmgr'
import type { Logger } from 'pino'
import { type Address, bytesToHex, concatBytes, type PublicClient } from 'viem'
import type { TxData } from './channel/channel.js'
import { ChannelManager, type ChannelManagerOptions } from './channel/channel-manager.js'
import type { DaClient } from './da/da-client.js'
import { isFailoverError } from './da/errors.js'
import { ReorgDetectedError } from './errors.js'
import type { L2Source } from './l2/types.js'
import type { BatcherMetrics } from './service/metrics.js'

/** How a frame reached L1: a DA commitment, plain calldata (DA off), or calldata because the DA put failed. */
export type SubmissionKind = 'da' | 'calldata' | 'failover'

export type BatcherStats = {
  submissions: Record<SubmissionKind, number>
  /** Puts that failed with 503/timeout; each one became exactly one failover submission. */
  failedPuts: number
  reorgs: number
  lastStepAt: number
  lastError: string | undefined
}

export type BatcherOptions = {
  l2: L2Source
  l1: PublicClient
  txmgr: TxManager
  /** Absent: calldata only (op-batcher without alt-DA). */
  da: DaClient | undefined
  rollup: RollupConfig
  batchInbox: Address
  channel: ChannelManagerOptions
  pollIntervalMs: number
  /** Frames in flight at once (op-batcher `max-pending-tx`). */
  maxPendingTx: number
  /** Most L2 blocks read in one step, so one step stays bounded on a node far ahead of us. */
  maxBlocksPerStep: number
  log: Logger
  metrics: BatcherMetrics
}

/** op-batcher's `BatchSubmitter` driver: load blocks past the safe head, cut channels, post frames, track outcomes. */
export class Batcher {
  readonly channels: ChannelManager
  readonly stats: BatcherStats = {
    submissions: { da: 0, calldata: 0, failover: 0 },
    failedPuts: 0,
    reorgs: 0,
    lastStepAt: 0,
    lastError: undefined,
  }
  private readonly inFlight = new Set<Promise<void>>()
  private readonly gasByChannel = new Map<string, bigint>()
  private running = false
  private loop: Promise<void> | undefined

  constructor(private readonly options: BatcherOptions) {
    this.channels = new ChannelManager(options.channel)
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.loop = this.run()
  }

  /** Stops the loop; with `drain`, closes the open channel and waits until every frame is on L1 (op-batcher stop). */
  async stop({ drain = false, timeoutMs = 120_000 }: { drain?: boolean; timeoutMs?: number } = {}): Promise<void> {
    this.running = false
    await this.loop
    if (drain) await this.flush(timeoutMs)
    await Promise.allSettled([...this.inFlight])
  }

  /** Abandons everything at once, as a crash would: nothing is closed or drained, in-flight sends are left behind. */
  kill(): void {
    this.running = false
    this.options.txmgr.close()
  }

  /**
   * Closes the open channel and posts everything queued up to the L2 head of the moment, until all frames are confirmed
   * or `timeoutMs` passes. Blocks the sequencer makes meanwhile are left to the next start (which begins at the safe
   * head): with 1 s blocks there would always be a new one, and the flush would never end.
   */
  async flush(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    const upTo = (await this.options.l2.syncStatus()).unsafeL2.number
    while (Date.now() < deadline) {
      await this.step(true, upTo)
      if (
        this.inFlight.size === 0 &&
        this.channels.activeChannels.every((c) => c.isFullySubmitted) &&
        this.channels.unchanneledBlocks === 0
      )
        return
      await Promise.race([...this.inFlight, sleep(this.options.pollIntervalMs)])
    }
    throw new Error(`flush did not finish within ${timeoutMs} ms`)
  }

  /** One pass: prune what became safe, load new blocks (up to `upTo` when given), post what is ready. */
  async step(force = false, upTo?: bigint): Promise<void> {
    const { l2, l1, log } = this.options
    const status = await l2.syncStatus()
    this.channels.pruneSafe(status.safeL2)
    const unsafe = status.unsafeL2.number
    try {
      await this.loadBlocks(status.safeL2.number, upTo !== undefined && upTo < unsafe ? upTo : unsafe)
    } catch (error) {
      if (!(error instanceof ReorgDetectedError)) throw error
      this.stats.reorgs++
      log.warn({ ...error.details }, 'L2 reorg detected: clearing state, reloading from the safe head')
      this.channels.clear()
      return
    }
    const l1Head = await l1.getBlockNumber({ cacheTime: 0 })
    const { metrics, txmgr } = this.options
    metrics.refs.set({ layer: 'l1', type: 'head' }, Number(l1Head))
    metrics.refs.set({ layer: 'l2', type: 'safe' }, Number(status.safeL2.number))
    metrics.refs.set({ layer: 'l2', type: 'unsafe' }, Number(status.unsafeL2.number))
    metrics.nonceGapFills.set(txmgr.gapFills)
    while (this.inFlight.size < this.options.maxPendingTx) {
      const tx = this.channels.txData(l1Head, force)
      this.drainEvents()
      if (!tx) break
      const task = this.submit(tx).finally(() => {
        this.inFlight.delete(task)
        this.options.metrics.pendingTxs.set(this.inFlight.size)
      })
      this.inFlight.add(task)
      this.options.metrics.pendingTxs.set(this.inFlight.size)
    }
    metrics.pendingBlocks.set(this.channels.unchanneledBlocks)
    this.stats.lastStepAt = Date.now()
  }

  private async run(): Promise<void> {
    // Bounded by `running`: stop() and kill() end it at the next pass.
    while (this.running) {
      try {
        await this.step()
        this.stats.lastError = undefined
      } catch (error) {
        this.stats.lastError = (error as Error).message
        this.options.log.error({ err: error }, 'batcher step failed')
      }
      await sleep(this.options.pollIntervalMs)
    }
  }

  /** Blocks after what we hold (or after the safe head when we hold nothing), up to the unsafe head. */
  private async loadBlocks(safe: bigint, unsafe: bigint): Promise<void> {
    const tip = this.channels.tip
    const from = tip ? tip.number + 1n : safe + 1n
    const to =
      unsafe < from + BigInt(this.options.maxBlocksPerStep) - 1n
        ? unsafe
        : from + BigInt(this.options.maxBlocksPerStep) - 1n
    for (let n = from; n <= to; n++) {
      this.channels.addL2Block(await this.options.l2.blockByNumber(n))
      this.options.metrics.l2BlocksLoaded.inc()
    }
  }

  private async submit(tx: TxData): Promise<void> {
    const { da, log, metrics } = this.options
    let calldata: Uint8Array = tx.data
    let kind: SubmissionKind = 'calldata'
    if (da) {
      const started = performance.now()
      try {
        const commitment = await da.put(tx.data)
        metrics.daPutLatency.observe((performance.now() - started) / 1000)
        metrics.daBytesPosted.inc(tx.data.length)
        // op-alt-da TxDataVersion1: 0x01 || commitment (`01 00 01 <cert>` from eigenda-proxy).
        calldata = concatBytes([Uint8Array.of(0x01), commitment])
        kind = 'da'
      } catch (error) {
        if (!isFailoverError(error)) {
          metrics.daPutErrors.inc()
          log.warn({ id: tx.id, err: error }, 'DA put failed: frame re-queued')
          this.channels.txFailed(tx.id)
          return
        }
        this.stats.failedPuts++
        metrics.failovers.inc()
        log.warn({ id: tx.id, error: error.message }, 'DA unavailable: failing over to calldata for this frame')
        kind = 'failover'
      }
    }
    try {
      metrics.batcherTxEvents.inc({ stage: 'submitted' })
      const { receipt } = await this.options.txmgr.send({ to: this.options.batchInbox, data: bytesToHex(calldata) })
      metrics.batcherTxEvents.inc({ stage: 'success' })
      this.stats.submissions[kind]++
      metrics.submissions.inc({ kind })
      metrics.bytesPosted.inc({ kind }, calldata.length)
      metrics.l1GasUsed.inc(Number(receipt.gasUsed))
      this.gasByChannel.set(tx.channelId, (this.gasByChannel.get(tx.channelId) ?? 0n) + receipt.gasUsed)
      log.info(
        { id: tx.id, kind, bytes: calldata.length, l1Block: receipt.blockNumber, hash: receipt.transactionHash },
        'frame confirmed',
      )
      this.channels.txConfirmed(tx.id, receipt.blockNumber)
    } catch (error) {
      metrics.batcherTxEvents.inc({ stage: 'failed' })
      log.warn({ id: tx.id, err: error }, 'batcher tx failed: frame re-queued')
      this.channels.txFailed(tx.id)
    }
    this.drainEvents()
  }

  private drainEvents(): void {
    const { metrics, log } = this.options
    for (const event of this.channels.events.splice(0)) {
      const { channel } = event
      if (event.type === 'closed') {
        metrics.channelsClosed.inc({ reason: event.reason })
        metrics.compressionRatio.set(channel.built.compressed.length / channel.built.rlpBytes)
        metrics.channelInputBytes.inc(channel.built.rlpBytes)
        metrics.channelOutputBytes.inc(channel.built.compressed.length)
        metrics.channelNumFrames.set(channel.built.frames.length)
        log.info(
          {
            channel: channel.id,
            reason: event.reason,
            blocks: channel.blocks.length,
            frames: channel.built.frames.length,
            rlpBytes: channel.built.rlpBytes,
            compressed: channel.built.compressed.length,
          },
          'channel closed',
        )
      } else if (event.type === 'confirmed') {
        metrics.l2TxsPosted.inc(channel.txCount)
        const gas = this.gasByChannel.get(channel.id) ?? 0n
        this.gasByChannel.delete(channel.id)
        this.totals.gas += gas
        this.totals.txs += channel.txCount
        if (this.totals.txs > 0) metrics.l1GasPerL2Tx.set(Number(this.totals.gas) / this.totals.txs)
        log.info(
          {
            channel: channel.id,
            firstBlock: channel.blocks[0]!.number,
            lastBlock: channel.blocks.at(-1)!.number,
            l1Block: channel.maxInclusionBlock,
          },
          'channel fully confirmed',
        )
      } else {
        metrics.channelsTimedOut.inc()
        this.gasByChannel.delete(channel.id)
        log.warn({ channel: channel.id, blocks: event.blocks }, 'channel timed out: its blocks are queued again')
      }
    }
  }

  private readonly totals = { gas: 0n, txs: 0 }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
