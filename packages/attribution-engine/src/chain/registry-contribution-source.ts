import type { Logger } from 'pino'
import { type Address, getAbiItem, getAddress, type Hex, type PublicClient } from 'viem'
import { InvalidInputError } from '../errors.js'
import type { ContributionRecord, ContributionSource } from '../ingest/contribution-source.js'
import { datanetRegistryAbi } from './abis.js'
import { MissingSubmissionError } from './errors.js'
import { ContentFetcher, decodeDataRef } from './fetch-content.js'
import { readJsonFile, writeJsonFile } from './json-file.js'
import { type BlockMark, LogScanner } from './log-scanner.js'

const submittedEvent = getAbiItem({ abi: datanetRegistryAbi, name: 'ContributionSubmitted' })
const approvedEvent = getAbiItem({ abi: datanetRegistryAbi, name: 'ContributionApproved' })

/**
 * Persisted scan position: every approval in blocks ≤ `block` has order ≤ `lastOrder` (null: none seen yet).
 * It lets a restart skip the blocks already scanned once the index holds everything the scan yielded.
 */
type RegistryCursor = { block: string; hash: Hex; lastOrder: string | null }

export type RegistryContributionSourceOptions = {
  client: PublicClient
  registry: Address
  /** the registry's deployment block */
  startBlock?: bigint
  confirmations?: number
  maxBlockRange?: bigint
  /** where the scan cursor is kept (JSON); without it every start rescans from `startBlock` */
  cursorFile?: string
  daUrl?: string
  maxContentBytes?: number
  fetchTimeoutMs?: number
  log?: Logger
}

type Submission = { contributor: Address; datanetId: bigint; dataRef: Hex }

/** `order` of an approval: blockNumber << 32 | logIndex, so it sorts as the chain does. */
export const approvalOrder = (blockNumber: bigint, logIndex: number): bigint => (blockNumber << 32n) | BigInt(logIndex)

/**
 * Approved contributions from DatanetRegistry events. An approval (`ContributionApproved`) is paired with its
 * `ContributionSubmitted` (contributor, data reference), found in the same scan or, for owner-approved Datanets,
 * by a bounded backward search over earlier blocks. Content comes from the DA server by commitment or from the
 * URI; the engine's ingestion checks it against the on-chain content hash and dedupes.
 */
export class RegistryContributionSource implements ContributionSource {
  private readonly scanner: LogScanner
  private readonly fetcher: ContentFetcher
  /** The block range the last `contributions()` call read (for logs and tests). */
  lastScan: { fromBlock: bigint; toBlock?: bigint } | undefined

  constructor(private readonly options: RegistryContributionSourceOptions) {
    this.scanner = new LogScanner({
      client: options.client,
      address: options.registry,
      events: [submittedEvent, approvedEvent],
      startBlock: options.startBlock ?? 0n,
      confirmations: options.confirmations ?? 0,
      maxBlockRange: options.maxBlockRange ?? 1_000n,
      log: options.log,
    })
    this.fetcher = new ContentFetcher({
      daUrl: options.daUrl,
      maxBytes: options.maxContentBytes ?? 16 * 1024 * 1024,
      timeoutMs: options.fetchTimeoutMs ?? 30_000,
    })
  }

  async *contributions(after?: bigint): AsyncIterable<ContributionRecord> {
    const cursor = this.options.cursorFile ? await readJsonFile<RegistryCursor>(this.options.cursorFile) : undefined
    let from = await this.resumeBlock(cursor, after)
    this.lastScan = { fromBlock: from }
    let lastOrder = cursor?.lastOrder != null ? BigInt(cursor.lastOrder) : undefined
    let mark: BlockMark | undefined
    for await (const range of this.scanner.scan(from)) {
      const submitted = new Map<Hex, Submission>()
      for (const log of range.logs) {
        if (log.eventName === 'ContributionSubmitted') {
          const a = log.args as { contentHash: Hex; datanetId: bigint; contributor: Address; dataRef: Hex }
          submitted.set(a.contentHash, {
            contributor: getAddress(a.contributor),
            datanetId: a.datanetId,
            dataRef: a.dataRef,
          })
          continue
        }
        const a = log.args as { contentHash: Hex; datanetId: bigint }
        const order = approvalOrder(log.blockNumber, log.logIndex)
        if (lastOrder === undefined || order > lastOrder) lastOrder = order
        if (after !== undefined && order <= after) continue
        const sub = submitted.get(a.contentHash) ?? (await this.findSubmission(a.contentHash, log.blockNumber))
        const ref = decodeDataRef(sub.dataRef)
        yield {
          id: a.contentHash,
          contributor: sub.contributor,
          datanetId: a.datanetId.toString(),
          contentHash: a.contentHash,
          order,
          uri: ref.kind === 'uri' ? ref.uri : ref.commitment,
        }
      }
      mark = range.mark
      from = range.mark.block + 1n
    }
    this.lastScan.toBlock = mark?.block
    // Written only after the consumer has pulled every record: see RegistryCursor for why that is enough.
    if (mark && this.options.cursorFile)
      await writeJsonFile(this.options.cursorFile, {
        block: mark.block.toString(),
        hash: mark.hash,
        lastOrder: lastOrder?.toString() ?? null,
      } satisfies RegistryCursor)
  }

  fetchContent(record: ContributionRecord): Promise<Uint8Array> {
    if (!record.uri) throw new InvalidInputError('contribution has no data reference', { id: record.id })
    return this.fetcher.fetch(record.uri)
  }

  /**
   * Where to scan from. After the cursor when the index already holds every approval the cursor has seen;
   * otherwise (a crash between the scan and the index commit) from the block of the index's last approval, so
   * nothing the scan yielded is skipped. Either way the catalog refuses ids it already has.
   */
  private async resumeBlock(cursor: RegistryCursor | undefined, after: bigint | undefined): Promise<bigint> {
    const caughtUp =
      cursor !== undefined && (cursor.lastOrder === null || (after !== undefined && after >= BigInt(cursor.lastOrder)))
    if (cursor && caughtUp) {
      await this.scanner.checkMark({ block: BigInt(cursor.block), hash: cursor.hash })
      return BigInt(cursor.block) + 1n
    }
    return after !== undefined ? after >> 32n : this.scanner.startBlock
  }

  /** The submission of `contentHash`, searched backwards from the approval's block in bounded ranges. */
  private async findSubmission(contentHash: Hex, beforeBlock: bigint): Promise<Submission> {
    const start = this.scanner.startBlock
    const range = this.scanner.maxBlockRange
    const ranges = (beforeBlock - start) / range + 1n
    for (let i = 0n; i < ranges; i++) {
      const toBlock = beforeBlock - i * range
      const fromBlock = toBlock - range + 1n > start ? toBlock - range + 1n : start
      const logs = await this.options.client.getLogs({
        address: this.options.registry,
        event: submittedEvent,
        args: { contentHash },
        fromBlock,
        toBlock,
        strict: true,
      })
      const log = logs[0]
      if (log)
        return {
          contributor: getAddress(log.args.contributor),
          datanetId: log.args.datanetId,
          dataRef: log.args.dataRef,
        }
    }
    // The registry emits the submission before any approval of the same hash; not finding it means a wrong
    // start block or a node that dropped logs: stop rather than ingest a contribution without its owner.
    throw new MissingSubmissionError('no ContributionSubmitted before the approval', {
      contentHash,
      beforeBlock: beforeBlock.toString(),
    })
  }
}
