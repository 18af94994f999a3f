import type { Logger } from 'pino'
import type { Address, Hex } from 'viem'
import { InvalidInputError } from '../errors.js'
import { IndexStore, type ShardRef, type VersionManifest } from '../index/index-store.js'
import type { ShardSpanHits } from '../index/query-shard.js'
import {
  concatRows,
  MAX_SHARD_POSITIONS,
  ROW_KEY_WORDS,
  rowTokens,
  type ShardMemory,
  type ShardRowsInput,
  shardRows,
  shardViews,
} from '../index/shard.js'
import type { EncodedShard } from '../index/shard-format.js'
import { splitShardInput } from '../index/split-shard-input.js'
import { type TrainingContribution, type TrainingSet, trainingSetOf } from '../influence/training-set.js'
import { Catalog } from '../ingest/catalog.js'
import type { ContributionRecord, ContributionSource } from '../ingest/contribution-source.js'
import { Deduper } from '../ingest/deduper.js'
import { type IngestReport, ingestContributions } from '../ingest/ingest-contributions.js'
import { createShardPool } from '../pool/create-shard-pool.js'
import type { ShardTask } from '../pool/shard-task.js'
import type { WorkerPool } from '../pool/worker-pool.js'
import {
  type AttributionResult,
  buildAttributionResult,
  type SpanEvidence,
  type SpanWithEvidence,
} from '../scoring/attribution-result.js'
import { ScoringParams, type ScoringParamsInput } from '../scoring/params.js'
import type { Scorer } from '../scoring/scorer.js'
import { selectSpans } from '../scoring/select-spans.js'
import { tokenFlags } from '../scoring/token-flags.js'
import { createTokenizer, type EncodingName, type Tokenizer } from '../tokenizer/create-tokenizer.js'

export type EngineOptions = {
  dir: string
  encoding?: EncodingName
  workers?: number
  /** positions per shard when building from a large batch */
  shardPositions?: number
  /** merge delta shards in the background once there are more than this many */
  maxDeltas?: number
  params?: ScoringParamsInput
  queryTimeoutMs?: number
  log?: Logger
}

type LoadedShard = ShardRef & { mem: ShardMemory; firstRowId: number; lastRowId: number }
type State = { version: Hex; manifest: VersionManifest; shards: LoadedShard[]; indexTokens: number; inflight: number }

export type BuildProgress = { phase: 'ingest' | 'build' | 'write'; done: number; total?: number }

/**
 * The engine: an index directory of content-addressed versions, a worker pool holding its shards in shared
 * memory, ingestion (verified, deduped, first registration owns a text), delta shards for new contributions and
 * a background merge, and per-inference attribution over the current version.
 */
export class AttributionEngine implements Scorer<AttributionResult> {
  readonly method = 'span'
  readonly params: ScoringParams
  readonly tokenizer: Tokenizer
  private catalog = new Catalog()
  private readonly deduper: Deduper
  private state: State | undefined
  private lock: Promise<unknown> = Promise.resolve()
  private merging: Promise<void> | undefined

  private constructor(
    private readonly store: IndexStore,
    private readonly pool: WorkerPool<ShardTask>,
    private readonly options: EngineOptions,
  ) {
    this.params = ScoringParams.parse(options.params ?? {})
    this.tokenizer = createTokenizer(options.encoding ?? 'cl100k_base')
    this.deduper = new Deduper((rowId) => this.rowTokens(rowId))
  }

  static async open(options: EngineOptions): Promise<AttributionEngine> {
    const store = new IndexStore(options.dir)
    await store.init()
    const pool = createShardPool({ size: options.workers ?? 2, timeoutMs: options.queryTimeoutMs, log: options.log })
    const engine = new AttributionEngine(store, pool, options)
    await pool.ready()
    const head = await store.readHead()
    if (head) await engine.load(head)
    return engine
  }

  get version(): Hex | undefined {
    return this.state?.version
  }

  get workerPool(): WorkerPool<ShardTask> {
    return this.pool
  }

  /** Totals of the current version (for health, metrics and the bench). */
  get summary(): {
    version?: Hex
    shards: number
    deltas: number
    tokens: number
    rows: number
    contributions: number
  } {
    const shards = this.state?.shards ?? []
    return {
      version: this.state?.version,
      shards: shards.length,
      deltas: shards.filter((s) => s.kind === 'delta').length,
      tokens: this.state?.indexTokens ?? 0,
      rows: this.catalog.nextRow,
      contributions: this.catalog.entries.length,
    }
  }

  /**
   * Ingests every contribution the source has beyond the catalog and makes it searchable in a new version:
   * one or more base shards when the index is empty or the batch is large, a delta shard otherwise.
   */
  ingest(source: ContributionSource, onProgress?: (p: BuildProgress) => void): Promise<IngestReport> {
    return this.exclusive(async () => {
      const batch = await ingestContributions({
        source,
        tokenizer: this.tokenizer,
        catalog: this.catalog,
        deduper: this.deduper,
        log: this.options.log,
        onProgress: (done) => onProgress?.({ phase: 'ingest', done }),
      })
      if (batch.rows.rowIds.length > 0) {
        const base = !this.state || batch.rows.tokens.length > this.shardPositions / 2
        await this.addShards(batch.rows, base ? 'base' : 'delta', onProgress)
      } else if (batch.report.accepted.length > 0) {
        await this.commit(this.state?.shards ?? [])
      }
      this.deduper.clearPending()
      this.maybeMerge()
      return batch.report
    })
  }

  /**
   * Adds contributions that arrive already split and tokenized (re-indexing a trusted snapshot, benchmarks):
   * no content fetch or hash check, but the same dedupe and first-registration rule.
   */
  ingestTokenized(
    items: ReadonlyArray<{ record: ContributionRecord; rows: readonly Uint32Array[] }>,
    onProgress?: (p: BuildProgress) => void,
  ): Promise<void> {
    return this.exclusive(async () => {
      const fresh = items.filter(({ record }) => !this.catalog.has(record.id))
      const keysOf = this.tokenRowKeys(fresh.flatMap((item) => item.rows))
      const chunks: Uint32Array[] = []
      const rowIds: number[] = []
      const keys: Uint32Array[] = []
      let k = 0
      for (const { record, rows } of fresh) {
        if (this.catalog.has(record.id)) {
          k += rows.length // the same id twice in one batch: the first one counts
          continue
        }
        let accepted = 0
        let refused = 0
        for (const tokens of rows) {
          const rowKeys = await keysOf(k++)
          if (this.deduper.check(rowKeys, tokens).kind !== 'unique') {
            refused++
            continue
          }
          const rowId = this.catalog.nextRow + accepted++
          this.deduper.add(rowId, rowKeys)
          this.deduper.addPending(rowId, tokens)
          chunks.push(tokens)
          rowIds.push(rowId)
          keys.push(rowKeys)
        }
        this.catalog.add(record, accepted, refused)
      }
      if (rowIds.length > 0) {
        const rows = concatRows(chunks, rowIds, keys)
        await this.addShards(
          rows,
          !this.state || rows.tokens.length > this.shardPositions / 2 ? 'base' : 'delta',
          onProgress,
        )
      }
      this.deduper.clearPending()
      this.maybeMerge()
    })
  }

  /** Attributes one model output against the current index version. */
  attribute(output: string, options: { signal?: AbortSignal } = {}): Promise<AttributionResult> {
    return this.attributeTokens(Uint32Array.from(this.tokenizer.encode(output)), output, options)
  }

  /** Attributes an already tokenized output (`output` is the text its hash is taken over). */
  async attributeTokens(
    tokens: Uint32Array,
    output: string,
    options: { signal?: AbortSignal } = {},
  ): Promise<AttributionResult> {
    const state = this.state
    if (!state) throw new InvalidInputError('the index is empty: ingest contributions first')
    if (tokens.length === 0) throw new InvalidInputError('empty output')
    state.inflight++
    try {
      const run = <R>(task: ShardTask) => this.pool.run<R>(task, { signal: options.signal })
      // one task per worker for its share of the shards: a query makes two round trips per worker, not per shard
      const groups = shardGroups(state.shards, this.options.workers ?? 2)
      const lengths = new Uint32Array(tokens.length)
      const perGroup = await Promise.all(groups.map((shards) => run<Uint32Array>({ kind: 'match', shards, tokens })))
      for (const l of perGroup) for (let i = 0; i < l.length; i++) if (l[i]! > lengths[i]!) lengths[i] = l[i]!
      const segments = selectSpans(lengths, tokenFlags(this.tokenizer, tokens), this.params.minSpanTokens)
      const spans = new Uint32Array(segments.length * 2)
      segments.forEach((s, i) => {
        spans[2 * i] = s.start
        spans[2 * i + 1] = s.length
      })
      const located =
        segments.length === 0
          ? []
          : await Promise.all(
              groups.map((shards) =>
                run<ShardSpanHits>({
                  kind: 'locate',
                  shards,
                  tokens,
                  spans,
                  maxOccurrences: this.params.maxOccurrences,
                }),
              ),
            )
      const held: SpanWithEvidence[] = []
      segments.forEach((seg, i) => {
        let count = 0
        const hits: Array<[number, number]> = []
        for (const l of located) {
          count += l.counts[i]!
          for (let h = 0; h < l.hits.length; h += 3) if (l.hits[h] === i) hits.push([l.hits[h + 1]!, l.hits[h + 2]!])
        }
        if (count === 0 || count > this.params.maxOccurrences) return
        hits.sort((a, b) => a[0] - b[0] || a[1] - b[1])
        const contributions = new Map<Address, string[]>()
        const evidence: SpanEvidence[] = []
        for (const [row, offset] of hits) {
          const entry = this.catalog.contributionOfRow(row)
          const ids = contributions.get(entry.contributor) ?? []
          if (!ids.includes(entry.id)) ids.push(entry.id)
          contributions.set(entry.contributor, ids)
          if (evidence.length < this.params.maxEvidence) evidence.push({ contributionId: entry.id, row, offset })
        }
        held.push({
          ...seg,
          count,
          contributors: [...contributions.keys()].sort(),
          contributions,
          evidence,
          text: this.tokenizer.decode(tokens.subarray(seg.start, seg.start + seg.length)),
        })
      })
      return buildAttributionResult({
        indexVersion: state.version,
        output,
        outputTokens: tokens.length,
        indexTokens: state.indexTokens,
        spans: held,
        params: this.params,
      })
    } finally {
      state.inflight--
      if (state !== this.state) this.release(state)
    }
  }

  /**
   * The current version's contributions as a small model's training set: every contribution with accepted rows,
   * in registration order, limited to `datanetIds` when given. Rows are the same deduped rows the span index
   * holds, so a copier is absent from both paths.
   */
  trainingSet(datanetIds?: readonly string[]): Promise<TrainingSet> {
    // under the ingest lock: an ingest adds catalog entries before their shards are committed
    return this.exclusive(async () => this.trainingSetNow(datanetIds))
  }

  private trainingSetNow(datanetIds?: readonly string[]): TrainingSet {
    const wanted = datanetIds && new Set(datanetIds)
    const contributions: TrainingContribution[] = []
    for (const e of this.catalog.entries) {
      if (e.rows === 0 || (wanted && !wanted.has(e.datanetId))) continue
      const rows: Uint32Array[] = []
      for (let r = e.firstRow; r < e.firstRow + e.rows; r++) {
        const tokens = this.rowTokens(r)
        if (!tokens) throw new InvalidInputError('catalog row missing from the index shards', { row: r, id: e.id })
        rows.push(tokens)
      }
      contributions.push({ id: e.id, contributor: e.contributor, datanetId: e.datanetId, rows })
    }
    return trainingSetOf(contributions)
  }

  /** Waits for a running background merge (tests, shutdown). */
  async idle(): Promise<void> {
    await this.merging
    await this.lock
  }

  async close(): Promise<void> {
    await this.idle().catch(() => undefined)
    await this.pool.close()
  }

  private get shardPositions(): number {
    return Math.min(this.options.shardPositions ?? 8_000_000, MAX_SHARD_POSITIONS)
  }

  /**
   * Dedupe keys of tokenized rows, computed on the pool's workers in pieces (the 32-permutation MinHash is the
   * costly part of dedupe). The first-registration checks that need them run in order on this thread, each piece
   * as soon as it is back while the workers compute the next ones. `keysOf(k)` gives row k's keys.
   */
  private tokenRowKeys(rows: readonly Uint32Array[]): (k: number) => Promise<Uint32Array> | Uint32Array {
    const per = Math.max(1, Math.ceil(rows.length / ((this.options.workers ?? 2) * 8)))
    const pieces: Array<Promise<Uint32Array>> = []
    for (let first = 0; first < rows.length; first += per) {
      const { tokens, offsets } = concatRows(rows.slice(first, first + per), [], [])
      const piece = this.pool.run<Uint32Array>({ kind: 'row-keys', tokens, offsets }, { timeoutMs: 600_000 })
      piece.catch(() => undefined) // awaited in order below; a later piece failing first is not unhandled
      pieces.push(piece)
    }
    let current = -1
    let keys: Uint32Array = new Uint32Array(0)
    return (k) => {
      const p = Math.floor(k / per)
      const at = (k - p * per) * ROW_KEY_WORDS
      if (p === current) return keys.subarray(at, at + ROW_KEY_WORDS)
      return pieces[p]!.then((piece) => {
        current = p
        keys = piece
        return keys.subarray(at, at + ROW_KEY_WORDS)
      })
    }
  }

  private async addShards(rows: ShardRowsInput, kind: 'base' | 'delta', onProgress?: (p: BuildProgress) => void) {
    const chunks = splitShardInput(rows, this.shardPositions, this.options.workers ?? 2)
    let builtCount = 0
    let written = 0
    // each shard is written as soon as its worker hands it over, while the others still build
    const added = await Promise.all(
      chunks.map(async (chunk) => {
        const shard = await this.pool.run<EncodedShard>({ kind: 'build', rows: chunk }, { timeoutMs: 600_000 })
        onProgress?.({ phase: 'build', done: ++builtCount, total: chunks.length })
        await this.store.writeShard(shard)
        onProgress?.({ phase: 'write', done: ++written, total: chunks.length })
        const { mem, hash } = shard
        return this.loaded({ hash, kind, positions: mem.positions, rows: mem.rows, firstRow: chunk.rowIds[0]! }, mem)
      }),
    )
    await this.commit([...(this.state?.shards ?? []), ...added])
  }

  private loaded(ref: ShardRef, mem: ShardMemory): LoadedShard {
    const v = shardViews(mem)
    this.pool.share(`shard:${ref.hash}`, mem)
    return { ...ref, mem, firstRowId: v.rowIds[0] ?? 0, lastRowId: v.rowIds[mem.rows - 1] ?? 0 }
  }

  private async commit(shards: LoadedShard[]): Promise<void> {
    const catalog = await this.store.writeCatalog(this.catalog)
    const manifest: VersionManifest = {
      format: 1,
      tokenizer: this.tokenizer.encoding,
      catalog,
      shards: shards.map(({ hash, kind, positions, rows, firstRow }) => ({ hash, kind, positions, rows, firstRow })),
    }
    const version = await this.store.writeVersion(manifest)
    const previous = this.state
    const indexTokens = shards.reduce((a, s) => a + s.positions - s.rows, 0)
    this.state = { version, manifest, shards, indexTokens, inflight: 0 }
    if (previous) this.release(previous)
    this.options.log?.info({ version, shards: shards.length, tokens: indexTokens }, 'index version committed')
  }

  /** Drops shards of a superseded version from the workers once no query uses that version. */
  private release(old: State): void {
    if (old.inflight > 0 || !this.state) return
    const live = new Set(this.state.shards.map((s) => s.hash))
    for (const s of old.shards) if (!live.has(s.hash)) this.pool.unshare(`shard:${s.hash}`)
  }

  private async load(version: Hex): Promise<void> {
    const manifest = await this.store.readVersion(version)
    this.catalog = await this.store.readCatalog(manifest.catalog)
    const shards: LoadedShard[] = []
    for (const ref of manifest.shards) {
      const mem = await this.store.readShard(ref.hash)
      shards.push(this.loaded(ref, mem))
      const v = shardViews(mem)
      for (let r = 0; r < mem.rows; r++)
        this.deduper.add(v.rowIds[r]!, v.rowKeys.subarray(r * ROW_KEY_WORDS, (r + 1) * ROW_KEY_WORDS))
    }
    const indexTokens = shards.reduce((a, s) => a + s.positions - s.rows, 0)
    this.state = { version, manifest, shards, indexTokens, inflight: 0 }
  }

  private rowTokens(rowId: number): Uint32Array | undefined {
    for (const s of this.state?.shards ?? []) {
      if (rowId < s.firstRowId || rowId > s.lastRowId) continue
      const v = shardViews(s.mem)
      let lo = 0
      let hi = s.rows - 1
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (v.rowIds[mid]! < rowId) lo = mid + 1
        else hi = mid
      }
      if (v.rowIds[lo] === rowId) return rowTokens(v, lo)
    }
    return undefined
  }

  /** Background LSM-style merge: all delta shards into one base shard, built on a worker, then a new version. */
  private maybeMerge(): void {
    const deltas = this.state?.shards.filter((s) => s.kind === 'delta') ?? []
    if (this.merging || deltas.length <= (this.options.maxDeltas ?? 4)) return
    this.merging = this.exclusive(async () => {
      const current = this.state!
      const merge = current.shards.filter((s) => s.kind === 'delta').sort((a, b) => a.firstRow - b.firstRow)
      const shard = await this.pool.run<EncodedShard>(
        { kind: 'build', rows: shardRows(merge.map((s) => s.mem)) },
        { timeoutMs: 600_000 },
      )
      await this.store.writeShard(shard)
      const { mem, hash } = shard
      const merged = this.loaded(
        { hash, kind: 'base', positions: mem.positions, rows: mem.rows, firstRow: merge[0]!.firstRow },
        mem,
      )
      const gone = new Set(merge.map((s) => s.hash))
      await this.commit([...current.shards.filter((s) => !gone.has(s.hash)), merged])
    })
      .catch((err: unknown) => this.options.log?.error({ err }, 'background merge failed'))
      .finally(() => {
        this.merging = undefined
      })
  }

  private exclusive<R>(fn: () => Promise<R>): Promise<R> {
    const next = this.lock.then(fn, fn)
    this.lock = next.catch(() => undefined)
    return next
  }
}

/** Shard hashes dealt round-robin into at most `workers` groups (shards of one batch are equal in size). */
function shardGroups(shards: readonly ShardRef[], workers: number): string[][] {
  const groups: string[][] = Array.from({ length: Math.min(workers, shards.length) }, () => [])
  for (const [i, s] of shards.entries()) groups[i % groups.length]!.push(s.hash)
  return groups
}
