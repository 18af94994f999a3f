const HASH_LOG = 13
const HASH_SIZE = 1 << HASH_LOG
const MAX_DISTANCE = 0x1fff
const MAX_LITERAL_RUN = 32
const MAX_MATCH_CHUNK = 262

/**
 * Length of `data` after FastLZ (level 1) compression, without producing the output. This is the size estimate the
 * Fjord L1 fee is based on (specs protocol/fjord/exec-engine.md; op-geth `FlzCompressLen`, itself after solady's
 * `flzCompress`). Only the length matters, so literal runs and matches are counted, not emitted.
 */
export function flzCompressLen(data: Uint8Array): number {
  const length = data.length
  let size = 0
  const table = new Uint32Array(HASH_SIZE)
  const read24 = (i: number) => data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16)
  const hash = (v: number) => (Math.imul(2654435769, v) >>> 19) & (HASH_SIZE - 1)
  const countLiterals = (run: number) => {
    size += 0x21 * Math.floor(run / MAX_LITERAL_RUN)
    const rest = run % MAX_LITERAL_RUN
    if (rest !== 0) size += rest + 1
  }
  const countMatch = (matchLength: number) => {
    const l = matchLength - 1
    size += 3 * Math.floor(l / MAX_MATCH_CHUNK)
    size += l % MAX_MATCH_CHUNK >= 6 ? 3 : 2
  }

  let anchor = 0
  const limit = length < 13 ? 0 : length - 13
  let ip = anchor + 2
  while (ip < limit) {
    let ref = 0
    // find the next position whose 3 bytes occurred within MAX_DISTANCE before it
    for (;;) {
      const seq = read24(ip)
      const h = hash(seq)
      ref = table[h]!
      table[h] = ip
      const distance = ip - ref
      if (ip >= limit) break
      ip++
      if (distance <= MAX_DISTANCE && seq === read24(ref)) break
    }
    if (ip >= limit) break
    ip--
    if (ip > anchor) countLiterals(ip - anchor)
    // Extend the match past its first 3 bytes (bounded by limit + 9). As in the reference, the count includes the
    // first mismatching byte when there is one: the encoder's match length is one more than the equal run.
    const end = limit + 9 - (ip + 3)
    let matched = 0
    while (matched < end && data[ref + 3 + matched] === data[ip + 3 + matched]) matched++
    if (matched < end) matched++
    countMatch(matched)
    ip += matched
    table[hash(read24(ip))] = ip
    ip++
    table[hash(read24(ip))] = ip
    ip++
    anchor = ip
  }
  countLiterals(length - anchor)
  return size
}
