import type { Logger } from 'pino'
import { type Address, getAbiItem, getAddress, type Hex, type PublicClient, zeroHash } from 'viem'
import { InvalidInputError } from '../errors.js'
import type { ContributionRecord, ContributionSource } from '../ingest/contribution-source.js'
import { datanetRegistryAbi } from './abis.js'
import { DeepReorgError, MissingSubmissionError } from './errors.js'
import { ContentFetcher, decodeDataRef } from './fetch-content.js'
import { readJsonFile, writeJsonFile } from './json-file.js'
import { type BlockMark, LogScanner } from './log-scanner.js'

const submittedEvent = getAbiItem({ abi: datanetRegistryAbi, name: 'ContributionSubmitted' })
const approvedEvent = getAbiItem({ abi: datanetRegistryAbi, name: 'ContributionApproved' })

/**
 * Persisted scan position: every approval in blocks ≤ `block` has order ≤ `lastOrder` (null: none seen yet).
 * It lets a restart skip the blocks already scanned once the index holds everything the scan yielded. `history`
 * keeps earlier positions (oldest first) so a reorg deeper than the confirmation depth can go back to the newest
 * one the chain still holds instead of to the deployment block.
 */
type CursorMark = { block: string; hash: Hex; lastOrder: string | null }
type RegistryCursor = CursorMark & { history?: CursorMark[] }

/** Earlier scan positions kept in the cursor file. */
const CURSOR_HISTORY = 16

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
    let cursor = this.options.cursorFile ? await readJsonFile<RegistryCursor>(this.options.cursorFile) : undefined
    let from: bigint
    try {
      from = await this.resumeBlock(cursor, after)
    } catch (err) {
      if (!(err instanceof DeepReorgError) || !cursor) throw err
      cursor = await this.reset(cursor, err)
      from = BigInt(cursor.block) + 1n
    }
    // `after` is the index's last approval; after a reorg it may name a block the chain no longer has, and approvals
    // of the new branch can sort below it. The cursor only holds what the chain still holds: never skip past it
    // (the catalog refuses ids it already has).
    if (cursor) after = cursor.lastOrder === null ? undefined : min(after, BigInt(cursor.lastOrder))
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
        history: cursor ? nextHistory(cursor) : [],
      } satisfies RegistryCursor)
  }

  /**
   * op-node's reset, for this scan: the cursor's block was reorged out, so go back to the newest earlier position
   * whose block the chain still holds (or to before the deployment block) and scan again from there. Approvals
   * already in the index are refused by id; ones that only the dropped branch had stay in the index (a reorg
   * deeper than the confirmation depth is what `confirmations` exists to rule out), hence the warning.
   */
  private async reset(cursor: RegistryCursor, err: DeepReorgError): Promise<RegistryCursor> {
    const history = cursor.history ?? []
    let safe: RegistryCursor | undefined
    for (let i = history.length - 1; i >= 0 && !safe; i--) {
      const mark = history[i]!
      if (BigInt(mark.block) < this.scanner.startBlock || (await this.scanner.holds(mark)))
        safe = { ...mark, history: history.slice(0, i) }
    }
    safe ??= { block: (this.scanner.startBlock - 1n).toString(), hash: zeroHash, lastOrder: null, history: [] }
    this.options.log?.warn(
      { err, cursor: cursor.block, resumeAfter: safe.block },
      'registry scan reset after a reorg deeper than the confirmation depth; contributions ingested from dropped blocks stay in the index',
    )
    // persisted now: a reset that finds no new block to scan must not be redone from the stale cursor
    if (this.options.cursorFile) await writeJsonFile(this.options.cursorFile, safe)
    return safe
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
      // a cursor before the deployment block (after a full reset) names no block to check
      if (BigInt(cursor.block) >= this.scanner.startBlock)
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

const min = (a: bigint | undefined, b: bigint): bigint => (a === undefined || b < a ? b : a)

/** The cursor's history once `cursor` itself becomes an earlier position (a reset cursor before deployment is not kept). */
function nextHistory(cursor: RegistryCursor): CursorMark[] {
  const { history = [], ...mark } = cursor
  return (mark.hash === zeroHash ? history : [...history, mark]).slice(-CURSOR_HISTORY)
}
