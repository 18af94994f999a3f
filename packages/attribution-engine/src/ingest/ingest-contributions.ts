import type { Logger } from 'pino'
import { AttributionError } from '../errors.js'
import { concatRows, type ShardRowsInput } from '../index/shard.js'
import type { Tokenizer } from '../tokenizer/create-tokenizer.js'
import type { Catalog } from './catalog.js'
import type { ContributionSource } from './contribution-source.js'
import type { Deduper } from './deduper.js'
import { textRowKeys } from './row-keys.js'
import { splitRows } from './split-rows.js'
import { verifyContentHash } from './verify-content-hash.js'

export type RefusedRow = {
  contributionId: string
  line: number
  kind: 'exact' | 'near'
  of: number
  similarity: number
}

export type IngestReport = {
  accepted: string[]
  rejected: Array<{ id: string; reason: string; details: Record<string, unknown> }>
  refusedRows: RefusedRow[]
  tokens: number
}

export type IngestBatch = { rows: ShardRowsInput; report: IngestReport }

/**
 * Pulls approved contributions newer than the catalog's last one, verifies each content hash, splits rows,
 * tokenizes and refuses exact and near duplicates of rows registered earlier (or earlier in this batch).
 * A contribution whose content fails verification is rejected whole and not recorded, so a later retry can
 * ingest it once the right content is available.
 */
export async function ingestContributions(args: {
  source: ContributionSource
  tokenizer: Tokenizer
  catalog: Catalog
  deduper: Deduper
  log?: Logger
  onProgress?: (done: number) => void
}): Promise<IngestBatch> {
  const { source, tokenizer, catalog, deduper } = args
  const report: IngestReport = { accepted: [], rejected: [], refusedRows: [], tokens: 0 }
  const chunks: Uint32Array[] = []
  const rowIds: number[] = []
  const keys: Uint32Array[] = []
  let done = 0
  for await (const record of source.contributions(catalog.lastOrder)) {
    if (catalog.has(record.id)) continue
    let text: string
    try {
      const content = await source.fetchContent(record)
      verifyContentHash(record, content)
      text = new TextDecoder('utf-8', { fatal: true }).decode(content)
    } catch (err) {
      if (!(err instanceof AttributionError) && !(err instanceof TypeError)) throw err
      report.rejected.push({
        id: record.id,
        reason: err.name,
        details: err instanceof AttributionError ? err.details : {},
      })
      args.log?.warn({ id: record.id, err: err.message }, 'contribution rejected')
      continue
    }
    let accepted = 0
    let refused = 0
    splitRows(text).forEach((row, line) => {
      const tokens = Uint32Array.from(tokenizer.encode(row))
      if (tokens.length === 0) return
      const rowKeys = textRowKeys(row, tokens)
      const verdict = deduper.check(rowKeys, tokens)
      if (verdict.kind !== 'unique') {
        refused++
        report.refusedRows.push({ contributionId: record.id, line, ...verdict })
        return
      }
      const rowId = catalog.nextRow + accepted++
      deduper.add(rowId, rowKeys)
      deduper.addPending(rowId, tokens)
      chunks.push(tokens)
      rowIds.push(rowId)
      keys.push(rowKeys)
      report.tokens += tokens.length
    })
    catalog.add(record, accepted, refused)
    report.accepted.push(record.id)
    args.onProgress?.(++done)
  }
  return { rows: concatRows(chunks, rowIds, keys), report }
}
