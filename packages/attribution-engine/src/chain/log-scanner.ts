import type { Logger } from 'pino'
import { type AbiEvent, type Address, BlockNotFoundError, type Hex, type Log, type PublicClient } from 'viem'
import { DeepReorgError } from './errors.js'

/** The last block a scan covered, with its hash so a resume can tell that the chain still holds it. */
export type BlockMark = { block: bigint; hash: Hex }

export type LogScannerOptions = {
  client: PublicClient
  address: Address
  events: readonly AbiEvent[]
  /** the contract's deployment block: nothing older is scanned */
  startBlock: bigint
  /**
   * Blocks behind the head that are read at all. Logs of newer blocks may still be reorged away; a reorg deeper
   * than this is reported as DeepReorgError instead of silently giving different logs.
   */
  confirmations: number
  /** most blocks per eth_getLogs call (node providers cap the range) */
  maxBlockRange: bigint
  log?: Logger
}

export type ScannedLog = Log<bigint, number, false, AbiEvent, true>

/**
 * Reads a contract's logs in bounded block ranges up to the confirmed head, in (blockNumber, logIndex) order.
 * Holds no state: callers persist the returned mark once they have used the logs.
 */
export class LogScanner {
  constructor(private readonly options: LogScannerOptions) {}

  /** The newest block old enough to read: head − confirmations. */
  async safeHead(): Promise<bigint> {
    const head = await this.options.client.getBlockNumber({ cacheTime: 0 })
    return head - BigInt(this.options.confirmations)
  }

  /** Whether the chain still has `mark.hash` at `mark.block` (false when it no longer reaches that height). */
  async holds(mark: { block: string | bigint; hash: Hex }): Promise<boolean> {
    try {
      return (await this.options.client.getBlock({ blockNumber: BigInt(mark.block) })).hash === mark.hash
    } catch (err) {
      if (err instanceof BlockNotFoundError) return false
      throw err
    }
  }

  /** Throws DeepReorgError unless the chain still has `mark.hash` at `mark.block` (a chain now shorter included). */
  async checkMark(mark: BlockMark): Promise<void> {
    if (!(await this.holds(mark)))
      throw new DeepReorgError('a scanned block was reorged out: deeper than the confirmation depth', {
        block: mark.block.toString(),
        expected: mark.hash,
      })
  }

  /**
   * Logs of blocks [from, to] where `to` is the confirmed head, one bounded range at a time (the loop is bounded
   * by the range count computed up front). Yields nothing when no confirmed block lies at or past `from`.
   */
  async *scan(from: bigint): AsyncGenerator<{ logs: ScannedLog[]; mark: BlockMark }> {
    const start = from < this.options.startBlock ? this.options.startBlock : from
    const to = await this.safeHead()
    if (to < start) return
    const range = this.options.maxBlockRange
    const ranges = (to - start) / range + 1n
    for (let i = 0n; i < ranges; i++) {
      const fromBlock = start + i * range
      const toBlock = fromBlock + range - 1n < to ? fromBlock + range - 1n : to
      const logs = await this.getLogs(fromBlock, toBlock)
      const block = await this.options.client.getBlock({ blockNumber: toBlock })
      this.options.log?.debug({ fromBlock, toBlock, logs: logs.length }, 'scanned logs')
      yield { logs, mark: { block: toBlock, hash: block.hash } }
    }
  }

  /** Logs of the events in [fromBlock, toBlock], sorted by (blockNumber, logIndex). */
  async getLogs(fromBlock: bigint, toBlock: bigint): Promise<ScannedLog[]> {
    const logs = (await this.options.client.getLogs({
      address: this.options.address,
      events: this.options.events,
      fromBlock,
      toBlock,
      strict: true,
    })) as ScannedLog[]
    return logs.sort((a, b) =>
      a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
    )
  }

  get maxBlockRange(): bigint {
    return this.options.maxBlockRange
  }

  get startBlock(): bigint {
    return this.options.startBlock
  }
}
