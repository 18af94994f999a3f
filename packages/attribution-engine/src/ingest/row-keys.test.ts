import fc from 'fast-check'
import { expect, test } from 'vitest'
import { concatRows } from '../index/shard.js'
import { shingles } from './minhash.js'
import { textRowKeys, tokenRowKeys, tokenRowKeysOfRows } from './row-keys.js'

test('keys of a tokenized row equal the keys of its ids joined as text; batches equal single rows', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.nat(), { maxLength: 60 }), { minLength: 1, maxLength: 6 }), (raw) => {
      const rows = raw.map((r) => Uint32Array.from(r))
      for (const r of rows) {
        expect(Array.from(tokenRowKeys(r))).toEqual(Array.from(textRowKeys(Array.from(r).join(','), r)))
        // repeats of a shingle do not move a MinHash minimum
        expect(shingles(r).size).toBeLessThanOrEqual(Math.max(1, r.length - 4))
      }
      const { tokens, offsets } = concatRows(rows, [], [])
      const batch = tokenRowKeysOfRows(tokens, offsets)
      for (const [i, r] of rows.entries())
        expect(Array.from(batch.subarray(i * 10, (i + 1) * 10))).toEqual(Array.from(tokenRowKeys(r)))
    }),
    { numRuns: 200 },
  )
})
