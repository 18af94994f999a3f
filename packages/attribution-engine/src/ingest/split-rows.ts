/** A contribution's rows: its non-empty lines, trimmed (Datanets store one row per parsed line). */
export function splitRows(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
}

/** The text two rows must share to count as exact duplicates: NFKC, lower case, single spaces. */
export function normalizeRow(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
}
