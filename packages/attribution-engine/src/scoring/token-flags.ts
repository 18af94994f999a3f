import type { Tokenizer } from '../tokenizer/create-tokenizer.js'

/** Bit 1: the token starts a word. Bit 2: the token holds a sentence or line delimiter (`.` or newline). */
export const STARTS_WORD = 1
export const DELIMITER = 2

/**
 * Per-token boundary flags of an output. A token starts a word when its text begins with whitespace or
 * punctuation, or when the token before it ends with whitespace or is a delimiter (BPE glues the leading space
 * to the word, so a token without one continues the previous word).
 */
export function tokenFlags(tokenizer: Tokenizer, tokens: ArrayLike<number>): Uint8Array {
  const flags = new Uint8Array(tokens.length)
  let prevEndsWord = true
  for (let i = 0; i < tokens.length; i++) {
    const text = tokenizer.tokenText(tokens[i]!)
    const first = text.charAt(0)
    let f = 0
    if (prevEndsWord || /[\s\p{P}\p{S}]/u.test(first)) f |= STARTS_WORD
    if (/[.\n]/.test(text)) f |= DELIMITER
    flags[i] = f
    prevEndsWord = (f & DELIMITER) !== 0 || /[\s\p{P}]$/u.test(text)
  }
  return flags
}
