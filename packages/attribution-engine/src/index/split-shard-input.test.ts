import { describe, expect, test } from 'vitest'
import { ROW_KEY_WORDS, type ShardRowsInput } from './shard.js'
import { MIN_SPLIT_POSITIONS, shardCount, splitShardInput } from './split-shard-input.js'

function rowsOf(lengths: number[]): ShardRowsInput {
  const offsets = new Uint32Array(lengths.length + 1)
  lengths.forEach((l, i) => {
    offsets[i + 1] = offsets[i]! + l
  })
  return {
    tokens: Uint32Array.from({ length: offsets[lengths.length]! }, (_, i) => i + 1),
    offsets,
    rowIds: Uint32Array.from(lengths, (_, i) => 1000 + i),
    rowKeys: Uint32Array.from({ length: lengths.length * ROW_KEY_WORDS }, (_, i) => i),
  }
}

const positions = (p: ShardRowsInput) => p.tokens.length + p.rowIds.length

describe('splitShardInput', () => {
  test('shard counts: one below the split threshold, else a multiple of the workers that fits the maximum', () => {
    expect(shardCount(MIN_SPLIT_POSITIONS - 1, 16e6, 2)).toBe(1)
    expect(shardCount(1_005_000, 16e6, 2)).toBe(2)
    expect(shardCount(10_050_000, 16e6, 2)).toBe(2)
    expect(shardCount(50_250_000, 16e6, 2)).toBe(4)
    expect(shardCount(50_250_000, 8e6, 2)).toBe(8)
    expect(shardCount(50_250_000, 16e6, 1)).toBe(4)
  })

  test('balanced pieces that keep every row, in order, with its id and keys', () => {
    const lengths = Array.from({ length: 5000 }, (_, i) => 100 + ((i * 37) % 200))
    const rows = rowsOf(lengths)
    const pieces = splitShardInput(rows, 16e6, 2)
    expect(pieces).toHaveLength(2)
    const sizes = pieces.map(positions)
    expect(Math.abs(sizes[0]! - sizes[1]!)).toBeLessThanOrEqual(300)
    expect(Array.from(pieces.flatMap((p) => Array.from(p.rowIds)))).toEqual(Array.from(rows.rowIds))
    expect(pieces.flatMap((p) => Array.from(p.tokens))).toEqual(Array.from(rows.tokens))
    expect(pieces.flatMap((p) => Array.from(p.rowKeys))).toEqual(Array.from(rows.rowKeys))
    for (const p of pieces) expect(p.offsets[0]).toBe(0)
  })

  test('small batches keep the greedy cut at the maximum; a row larger than a shard gets its own', () => {
    const pieces = splitShardInput(rowsOf([10, 10, 50, 10]), 25, 2)
    expect(pieces.map((p) => Array.from(p.rowIds))).toEqual([[1000, 1001], [1002], [1003]])
  })
})
