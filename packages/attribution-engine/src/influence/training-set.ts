import { createHash } from 'node:crypto'
import type { Address, Hex } from 'viem'
import { keccak256, toBytes } from 'viem'
import { Catalog } from '../ingest/catalog.js'
import type { ContributionSource } from '../ingest/contribution-source.js'
import { Deduper } from '../ingest/deduper.js'
import { type IngestReport, ingestContributions } from '../ingest/ingest-contributions.js'
import { canonicalJson } from '../scoring/canonical-json.js'
import type { Tokenizer } from '../tokenizer/create-tokenizer.js'

/** One contribution as the small model trains on it: its accepted rows, tokenized. */
export type TrainingContribution = { id: string; contributor: Address; datanetId: string; rows: Uint32Array[] }

export type TrainingSet = {
  contributions: TrainingContribution[]
  /** keccak256 over ids, contributors and a hash of every row's tokens: pins the data a model was trained on */
  digest: Hex
}

export function trainingSetOf(contributions: TrainingContribution[]): TrainingSet {
  const body = contributions.map((c) => ({
    id: c.id,
    contributor: c.contributor,
    datanetId: c.datanetId,
    rows: c.rows.map((r) =>
      createHash('sha256')
        .update(new Uint8Array(r.buffer, r.byteOffset, r.byteLength))
        .digest('hex'),
    ),
  }))
  return { contributions, digest: keccak256(toBytes(canonicalJson(body))) }
}

/**
 * Reads a Datanet's approved contributions through the same ingestion as the span index: content hash verified,
 * rows split and tokenized, exact and near duplicates refused (the first registration owns a text), so a copier
 * earns nothing on the influence path either.
 */
export async function loadTrainingSet(
  source: ContributionSource,
  tokenizer: Tokenizer,
): Promise<{ set: TrainingSet; report: IngestReport }> {
  const catalog = new Catalog()
  // every row of the batch is pending, so the deduper needs no lookup of older rows
  const deduper = new Deduper(() => undefined)
  const { rows, report } = await ingestContributions({ source, tokenizer, catalog, deduper })
  const contributions: TrainingContribution[] = []
  for (const e of catalog.entries) {
    if (e.rows === 0) continue
    const mine: Uint32Array[] = []
    for (let r = e.firstRow; r < e.firstRow + e.rows; r++) {
      // a fresh catalog numbers rows from 0 in batch order, so row id = index in the batch
      mine.push(rows.tokens.slice(rows.offsets[r]!, rows.offsets[r + 1]!))
    }
    contributions.push({ id: e.id, contributor: e.contributor, datanetId: e.datanetId, rows: mine })
  }
  return { set: trainingSetOf(contributions), report }
}
