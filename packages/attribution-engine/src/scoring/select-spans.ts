import { DELIMITER, STARTS_WORD } from './token-flags.js'

export type Segment = { start: number; length: number }

/**
 * Maximal matching spans from per-position longest-match lengths: the span at i is maximal unless the span at
 * i - 1 already contains it (len[i] = len[i-1] - 1).
 */
export function maximalSpans(lengths: ArrayLike<number>): Segment[] {
  const out: Segment[] = []
  for (let i = 0; i < lengths.length; i++) {
    const len = lengths[i]!
    if (len > 0 && (i === 0 || len >= lengths[i - 1]!)) out.push({ start: i, length: len })
  }
  return out
}

/**
 * infini-gram's span filters: a span starts on a word boundary, ends before a word continuation, never runs
 * across a delimiter (it is cut after each `.` or newline token), and is at least `minTokens` long. Segments
 * contained in another kept segment are dropped so no text is counted twice.
 */
export function selectSpans(lengths: ArrayLike<number>, flags: Uint8Array, minTokens: number): Segment[] {
  const L = flags.length
  const cut: Segment[] = []
  for (const span of maximalSpans(lengths)) {
    let s = span.start
    const end = span.start + span.length
    while (s < end) {
      while (s < end && (flags[s]! & STARTS_WORD) === 0) s++
      let e = s
      while (e < end && (flags[e]! & DELIMITER) === 0) e++
      if (e < end) e++ // the delimiter closes the segment
      let trimmed = e
      while (trimmed > s && trimmed < L && (flags[trimmed]! & STARTS_WORD) === 0) trimmed--
      if (trimmed - s >= minTokens) cut.push({ start: s, length: trimmed - s })
      s = e
    }
  }
  cut.sort((a, b) => a.start - b.start || b.length - a.length)
  const out: Segment[] = []
  let reach = -1
  for (const seg of cut) {
    const end = seg.start + seg.length
    if (end <= reach) continue
    out.push(seg)
    reach = end
  }
  return out
}
