import { ROW_KEY_WORDS, type ShardRowsInput } from './shard.js'

/** Below this many positions a batch stays one shard: it builds in well under 0.2 s and every shard costs a query hop. */
export const MIN_SPLIT_POSITIONS = 2 ** 19

/**
 * How many shards a batch of `positions` becomes: enough to keep each under `maxPositions`, and a multiple of the
 * pool's `workers` so every worker builds one slice at the same time (a 1M or 10M batch in one shard left the other
 * core idle; 50M in 16M shards cut 16+16+16+2 made the last round one worker's).
 */
export function shardCount(positions: number, maxPositions: number, workers: number): number {
  if (positions < MIN_SPLIT_POSITIONS) return 1
  const needed = Math.ceil(positions / maxPositions)
  return Math.ceil(needed / workers) * workers
}

/**
 * Cuts build input at row boundaries into `shardCount` pieces of about equal positions (tokens + one separator
 * per row). A piece still over `maxPositions` (very long rows) is cut again greedily; a single row larger than a
 * shard gets its own shard.
 */
export function splitShardInput(rows: ShardRowsInput, maxPositions: number, workers: number): ShardRowsInput[] {
  const n = rows.rowIds.length
  const positions = rows.tokens.length + n
  const parts = shardCount(positions, maxPositions, workers)
  const cuts = [0]
  // before(r): positions in rows [0, r)
  const before = (r: number) => rows.offsets[r]! + r
  for (let j = 1; j < parts; j++) {
    const target = Math.round((j * positions) / parts)
    let lo = cuts.at(-1)!
    let hi = n
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (before(mid) < target) lo = mid + 1
      else hi = mid
    }
    if (lo > cuts.at(-1)! && lo < n) cuts.push(lo)
  }
  cuts.push(n)
  const out: ShardRowsInput[] = []
  for (let c = 0; c + 1 < cuts.length; c++) {
    let first = cuts[c]!
    const end = cuts[c + 1]!
    while (first < end) {
      let last = first + 1 // a single row larger than a shard still gets its own shard
      while (last < end && before(last + 1) - before(first) <= maxPositions) last++
      out.push(sliceRows(rows, first, last))
      first = last
    }
  }
  return out
}

function sliceRows(rows: ShardRowsInput, first: number, last: number): ShardRowsInput {
  const base = rows.offsets[first]!
  return {
    tokens: rows.tokens.slice(base, rows.offsets[last]!),
    offsets: rows.offsets.slice(first, last + 1).map((o) => o - base),
    rowIds: rows.rowIds.slice(first, last),
    rowKeys: rows.rowKeys.slice(first * ROW_KEY_WORDS, last * ROW_KEY_WORDS),
  }
}
