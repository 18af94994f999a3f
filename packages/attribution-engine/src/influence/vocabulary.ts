/** Class 0 collects every token outside the vocabulary. */
export const UNK = 0

/**
 * The output vocabulary: the `size − 1` most frequent token ids of the training rows (ties by smaller id), stored
 * ascending so a lookup is a binary search. Class i + 1 is vocab[i].
 */
export function buildVocabulary(rows: readonly ArrayLike<number>[], size: number): Uint32Array {
  const counts = new Map<number, number>()
  for (const row of rows) for (let i = 0; i < row.length; i++) counts.set(row[i]!, (counts.get(row[i]!) ?? 0) + 1)
  const top = [...counts]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, size - 1)
    .map(([id]) => id)
  return Uint32Array.from(top).sort()
}

/** The class of a token id: 1 + its index in the vocabulary, or UNK. */
export function classOf(vocab: Uint32Array, id: number): number {
  let lo = 0
  let hi = vocab.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const v = vocab[mid]!
    if (v === id) return mid + 1
    if (v < id) lo = mid + 1
    else hi = mid - 1
  }
  return UNK
}
