/**
 * Okapi BM25 over lower-cased word terms: the lexical baseline the literature finds hard to beat for data
 * attribution (bergson's GPT-2/WikiText leaderboard). Documents are rows.
 */
export class Bm25 {
  private readonly postings = new Map<string, Array<[number, number]>>()
  private readonly lengths: number[] = []
  private avgLength = 0

  constructor(
    docs: readonly string[],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    docs.forEach((doc, d) => {
      const tf = new Map<string, number>()
      const terms = bm25Terms(doc)
      for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1)
      for (const [t, f] of tf) {
        const list = this.postings.get(t)
        if (list) list.push([d, f])
        else this.postings.set(t, [[d, f]])
      }
      this.lengths.push(terms.length)
    })
    this.avgLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs.length)
  }

  /** The `k` best documents for the query, best first, with their scores. */
  search(query: string, k: number): Array<{ doc: number; score: number }> {
    const n = this.lengths.length
    const scores = new Map<number, number>()
    for (const t of new Set(bm25Terms(query))) {
      const list = this.postings.get(t)
      if (!list) continue
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5))
      for (const [d, f] of list) {
        const norm = f + this.k1 * (1 - this.b + (this.b * this.lengths[d]!) / this.avgLength)
        scores.set(d, (scores.get(d) ?? 0) + (idf * f * (this.k1 + 1)) / norm)
      }
    }
    return [...scores]
      .map(([doc, score]) => ({ doc, score }))
      .sort((a, b) => b.score - a.score || a.doc - b.doc)
      .slice(0, k)
  }
}

export function bm25Terms(text: string): string[] {
  return text.toLowerCase().match(/\p{L}+|\p{N}+/gu) ?? []
}
