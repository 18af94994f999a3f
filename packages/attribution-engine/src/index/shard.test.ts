import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { locateSpansInShard, matchShard } from './query-shard.js'
import { buildShard, ROW_KEY_WORDS, rowTokens, type ShardRowsInput, shardRows, shardViews } from './shard.js'
import { decodeShardFile, encodeShardFile, sha256Hex } from './shard-format.js'

function rowsInput(rows: number[][]): ShardRowsInput {
  const offsets = new Uint32Array(rows.length + 1)
  rows.forEach((r, i) => {
    offsets[i + 1] = offsets[i]! + r.length
  })
  return {
    tokens: Uint32Array.from(rows.flat()),
    offsets,
    rowIds: Uint32Array.from(rows, (_, i) => 100 + i),
    rowKeys: Uint32Array.from({ length: rows.length * ROW_KEY_WORDS }, (_, i) => i),
  }
}

/** Longest match at each query position by brute force over the rows. */
function bruteLongest(rows: number[][], q: number[]): number[] {
  return q.map((_, i) => {
    let best = 0
    for (const r of rows)
      for (let p = 0; p < r.length; p++) {
        let k = 0
        while (i + k < q.length && p + k < r.length && q[i + k] === r[p + k]) k++
        best = Math.max(best, k)
      }
    return best
  })
}

describe('shards', () => {
  test('longest matches agree with brute force and never cross rows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 30 }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.array(fc.integer({ min: 0, max: 14 }), { minLength: 1, maxLength: 40 }),
        (rows, q) => {
          const shard = buildShard(rowsInput(rows))
          expect(Array.from(matchShard(shard, q))).toEqual(bruteLongest(rows, q))
        },
      ),
      { numRuns: 200 },
    )
  })

  test('vocabulary above 65,536 ids still uses 16-bit local tokens when the shard is small', () => {
    const shard = buildShard(
      rowsInput([
        [100_000, 100_001, 5],
        [5, 100_000],
      ]),
    )
    expect(shard.tokenBytes).toBe(2)
    expect(Array.from(matchShard(shard, [9, 100_000, 100_001, 5, 100_000]))).toEqual([0, 3, 2, 2, 1])
  })

  test('locate returns counts and (row id, offset) hits', () => {
    const shard = buildShard(
      rowsInput([
        [1, 2, 3, 4],
        [9, 2, 3, 4],
        [2, 3],
      ]),
    )
    const { counts, hits } = locateSpansInShard(shard, [2, 3, 4], Uint32Array.of(0, 3, 0, 2), 10)
    expect(Array.from(counts)).toEqual([2, 3])
    const triples = []
    for (let i = 0; i < hits.length; i += 3) triples.push([hits[i], hits[i + 1], hits[i + 2]])
    expect(triples.filter((t) => t[0] === 0).sort()).toEqual([
      [0, 100, 1],
      [0, 101, 1],
    ])
    expect(triples.filter((t) => t[0] === 1)).toHaveLength(3)
  })

  test('file round trip keeps every array and the same content hash', () => {
    const input = rowsInput([
      [7, 8, 9, 70_000],
      [1, 2],
      [8, 9],
    ])
    const shard = buildShard(input)
    const file = encodeShardFile(shard)
    const back = decodeShardFile(file)
    const a = shardViews(shard)
    const b = shardViews(back)
    expect(Array.from(b.sa)).toEqual(Array.from(a.sa))
    expect(Array.from(b.tokens)).toEqual(Array.from(a.tokens))
    expect(Array.from(rowTokens(b, 0))).toEqual([7, 8, 9, 70_000])
    expect(sha256Hex(encodeShardFile(back))).toBe(sha256Hex(file))
    expect(Array.from(shardRows([back]).tokens)).toEqual(Array.from(input.tokens))
  })
})
