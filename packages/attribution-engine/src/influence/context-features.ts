/** Stands before the first token of a row, so the first prediction has a context too. */
const BOS = 0xffffffff

/**
 * The hashed context features that predict token t of a row: one bucket per n-gram order (the previous token,
 * the previous two, ...). Hashing keeps the model's size fixed whatever the tokenizer's vocabulary
 * (Weinberger et al.'s feature hashing); order is mixed in so a unigram and a bigram context never share a key
 * by construction. Writes `orders` bucket ids into `out`.
 */
export function contextFeatures(
  tokens: ArrayLike<number>,
  t: number,
  orders: number,
  buckets: number,
  out: Uint32Array,
): void {
  let h = 0x811c9dc5
  for (let n = 1; n <= orders; n++) {
    const id = t - n >= 0 ? tokens[t - n]! : BOS
    // FNV-1a over the 4 bytes of each context token, then a murmur3 finalizer per order
    h = Math.imul(h ^ (id & 0xff), 0x01000193)
    h = Math.imul(h ^ ((id >>> 8) & 0xff), 0x01000193)
    h = Math.imul(h ^ ((id >>> 16) & 0xff), 0x01000193)
    h = Math.imul(h ^ (id >>> 24), 0x01000193)
    let f = h ^ n
    f = Math.imul(f ^ (f >>> 16), 0x85ebca6b)
    f = Math.imul(f ^ (f >>> 13), 0xc2b2ae35)
    f ^= f >>> 16
    out[n - 1] = (f >>> 0) % buckets
  }
}
