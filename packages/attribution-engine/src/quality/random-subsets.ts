import { seededRandom } from '../planted/random.js'

/**
 * `count` subsets of n units, each exactly round(fraction·n) units drawn without replacement (partial
 * Fisher–Yates over the seeded PRNG), as 0/1 masks. The same seed gives the same subsets.
 */
export function randomSubsets(n: number, count: number, fraction: number, seed: number): Uint8Array[] {
  const rand = seededRandom(seed)
  const k = Math.round(fraction * n)
  return Array.from({ length: count }, () => {
    const order = Array.from({ length: n }, (_, i) => i)
    const mask = new Uint8Array(n)
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(rand() * (n - i))
      ;[order[i], order[j]] = [order[j]!, order[i]!]
      mask[order[i]!] = 1
    }
    return mask
  })
}
