import type { Address, Hex } from 'viem'
import { NotFoundError } from '../errors.js'
import type { ContributionRecord } from './contribution-source.js'

/** One ingested contribution; its accepted rows have the global ids [firstRow, firstRow + rows). */
export type CatalogEntry = {
  id: string
  contributor: Address
  datanetId: string
  contentHash: Hex
  order: string
  firstRow: number
  rows: number
  refusedRows: number
}

/**
 * The row → contribution → contributor map. Rows get consecutive global ids in registration order, so a row's
 * contribution is found by binary search over `firstRow`.
 */
export class Catalog {
  readonly entries: CatalogEntry[] = []
  private readonly ids = new Set<string>()
  private withRows: CatalogEntry[] = []
  nextRow = 0

  has(id: string): boolean {
    return this.ids.has(id)
  }

  get lastOrder(): bigint | undefined {
    const last = this.entries.at(-1)
    return last ? BigInt(last.order) : undefined
  }

  add(record: ContributionRecord, acceptedRows: number, refusedRows: number): CatalogEntry {
    const entry: CatalogEntry = {
      id: record.id,
      contributor: record.contributor,
      datanetId: record.datanetId,
      contentHash: record.contentHash,
      order: record.order.toString(),
      firstRow: this.nextRow,
      rows: acceptedRows,
      refusedRows,
    }
    this.nextRow += acceptedRows
    this.entries.push(entry)
    this.ids.add(record.id)
    if (acceptedRows > 0) this.withRows.push(entry)
    return entry
  }

  contributionOfRow(rowId: number): CatalogEntry {
    const list = this.withRows
    let lo = 0
    let hi = list.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if (list[mid]!.firstRow <= rowId) lo = mid
      else hi = mid - 1
    }
    const e = list[lo]
    if (!e || rowId < e.firstRow || rowId >= e.firstRow + e.rows) throw new NotFoundError('unknown row', { rowId })
    return e
  }

  toJSON(): { format: 1; entries: CatalogEntry[] } {
    return { format: 1, entries: this.entries }
  }

  static fromJSON(json: { entries: CatalogEntry[] }): Catalog {
    const c = new Catalog()
    for (const e of json.entries) {
      c.entries.push(e)
      c.ids.add(e.id)
      if (e.rows > 0) c.withRows.push(e)
      c.nextRow = Math.max(c.nextRow, e.firstRow + e.rows)
    }
    return c
  }
}
