import { keccak256 as viemKeccak } from 'viem'
import { expect, test } from 'vitest'
import { keccak256 } from './native-keccak.js'

test('native keccak-256 equals viem’s on empty, short, rate-sized and long inputs, and on subarrays', () => {
  const big = new Uint8Array(100_000).map((_, i) => (i * 31) % 256)
  for (const input of [new Uint8Array(), Uint8Array.of(1, 2, 3), big.subarray(0, 136), big.subarray(7, 20_007), big])
    expect(keccak256(input)).toEqual(viemKeccak(input, 'bytes'))
  expect(Buffer.from(keccak256(new Uint8Array())).toString('hex')).toBe(
    'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
  )
})
