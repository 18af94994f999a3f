import type { ShardViews } from './shard.js'

export type SpanLocation = {
  /** suffix-array range [lo, hi) of the span's occurrences */
  lo: number
  hi: number
}

/** The suffix-array range of the suffixes that start with query[start, start + length). */
export function locateSpan(v: ShardViews, query: Int32Array, start: number, length: number): SpanLocation {
  const T = v.tokens
  const sa = v.sa
  const n = sa.length
  // compare(p) < 0 when suffix p sorts before the span, 0 when it starts with it, > 0 after it.
  const compare = (p: number): number => {
    for (let k = 0; k < length; k++) {
      if (p + k >= n) return -1
      const a = T[p + k]!
      const b = query[start + k]!
      if (a !== b) return a < b ? -1 : 1
    }
    return 0
  }
  let lo = 0
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compare(sa[mid]!) < 0) lo = mid + 1
    else hi = mid
  }
  const first = lo
  hi = n
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compare(sa[mid]!) <= 0) lo = mid + 1
    else hi = mid
  }
  return { lo: first, hi: lo }
}

/** Row (index within the shard) and offset of a text position, by binary search over row starts. */
export function rowOfPosition(v: ShardViews, position: number): { row: number; offset: number } {
  const starts = v.rowStarts
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if (starts[mid]! <= position) lo = mid
    else hi = mid - 1
  }
  return { row: lo, offset: position - starts[lo]! }
}
