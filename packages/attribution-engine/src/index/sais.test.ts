import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { buildSuffixArray, naiveSuffixArray } from './sais.js'

describe('buildSuffixArray', () => {
  test('banana sorts as the textbook says', () => {
    const s = Uint16Array.from('banana', (c) => c.charCodeAt(0))
    expect(Array.from(buildSuffixArray(s, 255))).toEqual([5, 3, 1, 0, 4, 2])
  })

  test('matches a naive sort on random strings over small and large alphabets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 65_535 }),
        fc.array(fc.nat(), { minLength: 0, maxLength: 400 }),
        (upper, raw) => {
          const s = Uint32Array.from(raw, (v) => v % (upper + 1))
          expect(Array.from(buildSuffixArray(s, upper))).toEqual(Array.from(naiveSuffixArray(s)))
        },
      ),
      { numRuns: 300 },
    )
  })

  test('handles long runs and periodic strings (deep recursion cases)', () => {
    const runs = new Uint16Array(5000).fill(7)
    expect(Array.from(buildSuffixArray(runs, 7))).toEqual(Array.from(naiveSuffixArray(runs)))
    const periodic = Uint16Array.from({ length: 3001 }, (_, i) => [1, 2, 1, 3][i % 4]!)
    expect(Array.from(buildSuffixArray(periodic, 3))).toEqual(Array.from(naiveSuffixArray(periodic)))
  })
})
