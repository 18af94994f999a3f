import type { Address } from 'viem'
import { type ContributionWithContent, makeContribution } from '../ingest/in-memory-source.js'
import { seededRandom } from './random.js'

export type PlantedSetOptions = {
  seed?: number
  contributors?: number
  contributionsPerContributor?: number
  rowsPerContribution?: number
  sentencesPerRow?: number
  outputs?: number
  /** approximate words per output */
  outputWords?: number
  /** distinct contributors whose text an output uses, at most */
  maxUsedPerOutput?: number
}

/** One piece of an output: planted text with its owner, or filler (owner undefined). */
export type OutputPiece = { text: string; owner?: Address }

export type PlantedOutput = { pieces: OutputPiece[]; text: string; used: Address[] }

export type PlantedSet = {
  contributions: ContributionWithContent[]
  outputs: PlantedOutput[]
  /** contributors who registered copies of other people's rows (verbatim and lightly edited) */
  copiers: Address[]
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'dra', 'pel', 'qua', 'zen', 'bor', 'fi', 'gu', 'hex']

export const contributorAddress = (i: number): Address => `0x${(0xc0_000 + i).toString(16).padStart(40, '0')}`

/**
 * A deterministic planted-source benchmark set: contributors write rows of pseudo-English sentences (Zipf word
 * frequencies); outputs splice whole sentences and sentence fragments of a few contributors' rows between fresh
 * filler sentences, some with one word changed. Two copiers register, later, a verbatim and a lightly edited copy
 * of other contributors' rows; outputs plant text from those rows too, so the copiers must earn nothing.
 */
export function generatePlantedSet(options: PlantedSetOptions = {}): PlantedSet {
  const o = {
    seed: 7,
    contributors: 30,
    contributionsPerContributor: 2,
    rowsPerContribution: 4,
    sentencesPerRow: 3,
    outputs: 20,
    outputWords: 150,
    maxUsedPerOutput: 3,
    ...options,
  }
  const rand = seededRandom(o.seed)
  const int = (n: number) => Math.floor(rand() * n)
  const words = Array.from({ length: 4000 }, (_, i) => {
    let w = ''
    let x = i + 1
    do {
      w += SYLLABLES[x % SYLLABLES.length]
      x = Math.floor(x / SYLLABLES.length)
    } while (x > 0)
    return w
  })
  // Zipf(1) sampling by inverse CDF over cumulative weights.
  const cdf = new Float64Array(words.length)
  let acc = 0
  for (let i = 0; i < words.length; i++) cdf[i] = acc += 1 / (i + 1)
  const word = () => {
    const u = rand() * acc
    let lo = 0
    let hi = cdf.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (cdf[mid]! < u) lo = mid + 1
      else hi = mid
    }
    return words[lo]!
  }
  const sentence = (): string[] => {
    const ws = Array.from({ length: 12 + int(14) }, word)
    ws[0] = ws[0]!.charAt(0).toUpperCase() + ws[0]!.slice(1)
    ws[ws.length - 1] += '.'
    return ws
  }

  const contributions: ContributionWithContent[] = []
  const rowsOf = new Map<Address, string[][][]>() // contributor → rows → sentences → words
  let order = 1n
  for (let k = 0; k < o.contributionsPerContributor; k++)
    for (let c = 0; c < o.contributors; c++) {
      const contributor = contributorAddress(c)
      const rows = Array.from({ length: o.rowsPerContribution }, () =>
        Array.from({ length: o.sentencesPerRow }, sentence),
      )
      rowsOf.set(contributor, [...(rowsOf.get(contributor) ?? []), ...rows])
      const text = rows.map((r) => r.map((s) => s.join(' ')).join(' ')).join('\n')
      contributions.push(makeContribution({ id: `c${c}-${k}`, contributor, order: order++, text }))
    }

  // Copiers register later than every original: one verbatim row, one with a single word changed.
  const copiers = [contributorAddress(o.contributors), contributorAddress(o.contributors + 1)]
  const victimRows = [rowsOf.get(contributorAddress(0))![0]!, rowsOf.get(contributorAddress(1))![0]!]
  const verbatim = victimRows[0]!.map((s) => s.join(' ')).join(' ')
  const edited = victimRows[1]!
    .map((s, i) => (i === 1 ? [...s.slice(0, 3), 'zzzq', ...s.slice(4)] : s).join(' '))
    .join(' ')
  contributions.push(
    makeContribution({ id: 'copy-verbatim', contributor: copiers[0]!, order: order++, text: verbatim }),
  )
  contributions.push(makeContribution({ id: 'copy-edited', contributor: copiers[1]!, order: order++, text: edited }))

  const outputs: PlantedOutput[] = []
  for (let n = 0; n < o.outputs; n++) {
    const nUsed = 1 + int(o.maxUsedPerOutput)
    const used = new Set<Address>()
    // every fourth output quotes the rows the copiers copied
    if (n % 4 === 0) used.add(contributorAddress(n % 8 === 0 ? 0 : 1))
    while (used.size < nUsed) used.add(contributorAddress(int(o.contributors)))
    const usedList = [...used]
    const pieces: OutputPiece[] = []
    let count = 0
    const push = (ws: string[], owner?: Address) => {
      pieces.push({ text: (pieces.length === 0 ? '' : ' ') + ws.join(' '), owner })
      count += ws.length
    }
    push(sentence())
    while (count < o.outputWords) {
      const owner = usedList[int(usedList.length)]!
      const rows = rowsOf.get(owner)!
      const row = n % 4 === 0 && owner === usedList[0] ? rows[0]! : rows[int(rows.length)]!
      const s = row[int(row.length)]!
      const mode = rand()
      if (mode < 0.6) push(s, owner)
      else if (mode < 0.8) {
        // a fragment of at least 10 words, starting on a word
        const len = Math.min(s.length, 10 + int(6))
        const from = int(s.length - len + 1)
        push(s.slice(from, from + len), owner)
        push(sentence())
      } else {
        // one word changed in the middle: two planted pieces around a filler word
        const cut = 4 + int(Math.max(1, s.length - 8))
        push(s.slice(0, cut), owner)
        push(['zzzq'])
        push(s.slice(cut + 1), owner)
      }
      push(sentence())
    }
    outputs.push({ pieces, text: pieces.map((p) => p.text).join(''), used: usedList })
  }
  return { contributions, outputs, copiers }
}
