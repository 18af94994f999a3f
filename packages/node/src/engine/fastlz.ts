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
// One hash table for every call (reset per call): allocating 32 KiB per tx was a visible share of block building.
const table = new Uint32Array(HASH_SIZE)

export function flzCompressLen(data: Uint8Array): number {
  const length = data.length
  let size = 0
  table.fill(0)
  let anchor = 0
  const limit = length < 13 ? 0 : length - 13
  let ip = anchor + 2
  while (ip < limit) {
    let ref = 0
    // find the next position whose 3 bytes occurred within MAX_DISTANCE before it
    for (;;) {
      const seq = read24(data, ip)
      const h = hash(seq)
      ref = table[h]!
      table[h] = ip
      const distance = ip - ref
      if (ip >= limit) break
      ip++
      if (distance <= MAX_DISTANCE && seq === read24(data, ref)) break
    }
    if (ip >= limit) break
    ip--
    if (ip > anchor) size += literalsLen(ip - anchor)
    // Extend the match past its first 3 bytes (bounded by limit + 9). As in the reference, the count includes the
    // first mismatching byte when there is one: the encoder's match length is one more than the equal run.
    const end = limit + 9 - (ip + 3)
    let matched = 0
    while (matched < end && data[ref + 3 + matched] === data[ip + 3 + matched]) matched++
    if (matched < end) matched++
    size += matchLen(matched)
    ip += matched
    table[hash(read24(data, ip))] = ip
    ip++
    table[hash(read24(data, ip))] = ip
    ip++
    anchor = ip
  }
  return size + literalsLen(length - anchor)
}

function read24(data: Uint8Array, i: number): number {
  return data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16)
}

function hash(v: number): number {
  return (Math.imul(2654435769, v) >>> 19) & (HASH_SIZE - 1)
}

function literalsLen(run: number): number {
  const rest = run % MAX_LITERAL_RUN
  return 0x21 * Math.floor(run / MAX_LITERAL_RUN) + (rest !== 0 ? rest + 1 : 0)
}

function matchLen(matchLength: number): number {
  const l = matchLength - 1
  return 3 * Math.floor(l / MAX_MATCH_CHUNK) + (l % MAX_MATCH_CHUNK >= 6 ? 3 : 2)
}
