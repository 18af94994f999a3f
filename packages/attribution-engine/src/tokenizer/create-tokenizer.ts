import { Tiktoken } from 'js-tiktoken/lite'
import cl100k from 'js-tiktoken/ranks/cl100k_base'
import gpt2 from 'js-tiktoken/ranks/gpt2'
import o200k from 'js-tiktoken/ranks/o200k_base'
import { InvalidInputError } from '../errors.js'

export const ENCODINGS = ['cl100k_base', 'o200k_base', 'gpt2'] as const
export type EncodingName = (typeof ENCODINGS)[number]

/** Token ids fit in 16 bits only for vocabularies up to 65,536 entries; larger ones need 32. */
export type TokenArray = Uint16Array | Uint32Array

export type Tokenizer = {
  readonly encoding: EncodingName
  readonly vocabSize: number
  encode(text: string): TokenArray
  decode(tokens: ArrayLike<number>): string
  /** The text of one token (for boundary and delimiter flags). */
  tokenText(id: number): string
}

const RANKS = { cl100k_base: cl100k, o200k_base: o200k, gpt2 } as const

/** A BPE tokenizer whose ranks ship inside `js-tiktoken`: nothing is downloaded at run time. */
export function createTokenizer(encoding: EncodingName = 'cl100k_base'): Tokenizer {
  const ranks = RANKS[encoding]
  if (!ranks) throw new InvalidInputError('unknown tokenizer encoding', { encoding })
  // Decoding the rank tables takes ~0.3–0.6 s: done on first use, so a service answers /healthz before it.
  let tables: Tiktoken | undefined
  const bpe = (): Tiktoken => {
    if (!tables) tables = new Tiktoken(ranks)
    return tables
  }
  let maxId = 0
  for (const id of Object.values(ranks.special_tokens)) maxId = Math.max(maxId, id)
  // The ranks are stored compressed; the largest rank sits in the last lines, so count through the encoder map.
  const vocabSize = Math.max(maxId + 1, countRanks(ranks.bpe_ranks))
  const wide = vocabSize > 65_536
  const textCache = new Map<number, string>()
  return {
    encoding,
    vocabSize,
    encode(text) {
      const ids = bpe().encode(text, [], [])
      return wide ? Uint32Array.from(ids) : Uint16Array.from(ids)
    },
    decode(tokens) {
      return bpe().decode(Array.from(tokens))
    },
    tokenText(id) {
      let text = textCache.get(id)
      if (text === undefined) {
        text = bpe().decode([id])
        textCache.set(id, text)
      }
      return text
    },
  }
}

/** js-tiktoken's compressed rank format: lines of `! <offset> <token>...`, one rank per token after the offset. */
function countRanks(bpeRanks: string): number {
  let max = 0
  for (const line of bpeRanks.split('\n')) {
    const parts = line.split(' ')
    const offset = Number.parseInt(parts[1] ?? '', 10)
    if (Number.isNaN(offset)) continue
    max = Math.max(max, offset + parts.length - 2)
  }
  return max
}
