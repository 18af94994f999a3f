import { z } from 'zod'

/** Scoring parameters; defaults follow infini-gram's `attribute()` and the PoA economics in DESIGN.md. */
export const ScoringParams = z.object({
  /** shortest span that earns credit, in tokens */
  minSpanTokens: z.number().int().min(1).max(1000).default(10),
  /** spans occurring more often than this are boilerplate and earn nothing */
  maxOccurrences: z.number().int().min(1).max(1_000_000).default(10_000),
  /** largest weight one contributor may get, in basis points of the contributors' part */
  capBps: z.number().int().min(1).max(10_000).default(5_000),
  /** occurrences listed as evidence per span */
  maxEvidence: z.number().int().min(1).max(1000).default(8),
})
export type ScoringParams = z.output<typeof ScoringParams>
export type ScoringParamsInput = z.input<typeof ScoringParams>
