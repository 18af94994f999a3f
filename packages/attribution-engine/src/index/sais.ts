/**
 * SA-IS (Nong, Zhang, Chan 2009): the suffix array of an integer string in O(n) time, over typed arrays.
 * The structure follows AtCoder Library's `sa_is` (no sentinel needed in the input; the recursion works on the
 * reduced LMS string). `upper` is the largest symbol value. Returns the starting positions of the suffixes in
 * lexicographic order, where a proper prefix sorts before the longer string.
 */
export function buildSuffixArray(s: ArrayLike<number>, upper: number, out?: Int32Array): Int32Array {
  // One element type inside: V8 compiles the hot loops for Int32Array only (a Uint16Array top level and the
  // Int32Array recursion made every load polymorphic).
  const sa = out ?? new Int32Array(s.length)
  if (sa.length !== s.length) throw new RangeError('suffix array output length differs from the input length')
  sais(s instanceof Int32Array ? s : Int32Array.from(s), upper, sa)
  return sa
}

/** Writes the suffix array of `s` into `sa` (same length). */
function sais(s: Int32Array, upper: number, sa: Int32Array): void {
  const n = s.length
  if (n < 10) {
    sa.set(naiveSuffixArray(s))
    return
  }

  // ls[i] = 1 when suffix i is S-type (smaller than suffix i+1).
  const ls = new Uint8Array(n)
  for (let i = n - 2; i >= 0; i--) {
    const a = s[i]!
    const b = s[i + 1]!
    ls[i] = a === b ? ls[i + 1]! : a < b ? 1 : 0
  }
  // sumL[c]: start of bucket c; sumS[c]: start of its S-type part (L-type suffixes of c sort first).
  const sumL = new Int32Array(upper + 2)
  const sumS = new Int32Array(upper + 2)
  for (let i = 0; i < n; i++) {
    if (ls[i] === 0) sumS[s[i]!]!++
    else sumL[s[i]! + 1]!++
  }
  for (let i = 0; i <= upper; i++) {
    sumS[i]! += sumL[i]!
    if (i < upper) sumL[i + 1]! += sumS[i]!
  }
  const buf = new Int32Array(upper + 2)

  // Induced sorting with the predecessor's type decided when an entry is placed (Yuta Mori's sais): an entry is
  // stored as ~v when suffix v-1 is S-type, so the left-to-right scan skips it and the right-to-left scan takes it,
  // and each scan reads `s` at a random place only for the suffixes it induces (about n reads per induce instead
  // of 2n + the LMS count: the scans are bound by those cache misses at 10M+ positions). Every slot is flipped
  // once per scan, so all entries end non-negative. Empty slots (0) are only ever read in S parts before the
  // right-to-left scan fills them.
  const induce = (lms: Int32Array, count: number): void => {
    sa.fill(0)
    buf.set(sumS)
    for (let k = 0; k < count; k++) {
      const d = lms[k]!
      sa[buf[s[d]!]!++] = d // LMS: its predecessor is L-type
    }
    buf.set(sumL)
    const last = s[n - 1]!
    sa[buf[last]!++] = s[n - 2]! < last ? ~(n - 1) : n - 1
    for (let i = 0; i < n; i++) {
      const v = sa[i]!
      sa[i] = ~v
      if (v > 0) {
        const j = v - 1
        const c = s[j]!
        sa[buf[c]!++] = j > 0 && s[j - 1]! < c ? ~j : j
      }
    }
    for (let c = 0; c <= upper; c++) buf[c] = sumL[c + 1]!
    for (let i = n - 1; i >= 0; i--) {
      const v = sa[i]!
      if (v > 0) {
        const j = v - 1
        const c = s[j]!
        sa[--buf[c]!] = j === 0 || s[j - 1]! > c ? ~j : j
      } else sa[i] = ~v
    }
  }

  let m = 0
  for (let i = 1; i < n; i++) if (ls[i - 1] === 0 && ls[i] === 1) m++
  const lms = new Int32Array(m)
  for (let i = 1, k = 0; i < n; i++) if (ls[i - 1] === 0 && ls[i] === 1) lms[k++] = i

  induce(lms, m)

  if (m > 0) {
    // LMS suffixes in the order of their LMS substrings: S-type (S part of the bucket) after an L-type.
    const sortedLms = new Int32Array(m)
    for (let i = 0, k = 0; i < n; i++) {
      const v = sa[i]!
      if (v >= 1) {
        const c = s[v]!
        if (s[v - 1]! > c && i >= sumS[c]!) sortedLms[k++] = v
      }
    }
    // Per LMS position p (two LMS positions are never adjacent, so p >> 1 is a unique slot): the length of its
    // LMS substring, then its name. Half the memory of a position → index map, one random read per compare.
    const slot = new Int32Array((n >> 1) + 1)
    for (let k = 0; k < m; k++) slot[lms[k]! >> 1] = (k + 1 < m ? lms[k + 1]! : n) - lms[k]!
    let name = 0
    let prev = sortedLms[0]!
    let prevLength = slot[prev >> 1]!
    slot[prev >> 1] = 0
    for (let i = 1; i < m; i++) {
      const cur = sortedLms[i]!
      const length = slot[cur >> 1]!
      // Equal LMS substrings: same length, same symbols, and neither runs into the end of the string.
      let same = length === prevLength && cur + length < n && prev + length < n
      for (let k = 0; same && k <= length; k++) if (s[prev + k] !== s[cur + k]) same = false
      if (!same) name++
      slot[cur >> 1] = name
      prev = cur
      prevLength = length
    }
    const rec = new Int32Array(m)
    for (let k = 0; k < m; k++) rec[k] = slot[lms[k]! >> 1]!
    const recSa = new Int32Array(m)
    if (name === m - 1)
      for (let k = 0; k < m; k++) recSa[rec[k]!] = k // all names distinct: the order is the names'
    else sais(rec, name, recSa)
    for (let i = 0; i < m; i++) sortedLms[i] = lms[recSa[i]!]!
    induce(sortedLms, m)
  }
}

/** Reference order for tiny inputs (and for tests): sort suffixes by direct comparison. */
export function naiveSuffixArray(s: ArrayLike<number>): Int32Array {
  const n = s.length
  const idx = Array.from({ length: n }, (_, i) => i)
  idx.sort((a, b) => {
    if (a === b) return 0
    while (a < n && b < n) {
      if (s[a] !== s[b]) return s[a]! - s[b]!
      a++
      b++
    }
    return a === n ? -1 : 1
  })
  return Int32Array.from(idx)
}
