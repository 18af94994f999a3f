/**
 * Caps every weight at `cap` and hands the excess to the uncapped entries in proportion to their weights
 * (water-filling, repeated until nothing exceeds the cap). Excess nobody can absorb is returned as `leftover`
 * (it goes to the unattributed share). Keys are processed in sorted order for determinism.
 */
export function applyCap(
  weights: Map<string, number>,
  cap: number,
): { weights: Map<string, number>; leftover: number } {
  const keys = [...weights.keys()].sort()
  const w = new Map(keys.map((k) => [k, weights.get(k)!]))
  const capped = new Set<string>()
  let leftover = 0
  for (let round = 0; round <= keys.length; round++) {
    let excess = 0
    for (const k of keys) {
      const v = w.get(k)!
      if (v > cap) {
        excess += v - cap
        w.set(k, cap)
        capped.add(k)
      }
    }
    if (excess === 0) break
    let room = 0
    for (const k of keys) if (!capped.has(k)) room += w.get(k)!
    if (room === 0) {
      leftover += excess
      break
    }
    for (const k of keys) if (!capped.has(k)) w.set(k, w.get(k)! + (excess * w.get(k)!) / room)
  }
  return { weights: w, leftover }
}
