import { z } from 'zod'

/**
 * The small model and its training. Defaults are sized for a 2-core machine: ~60k tokens of Datanet text train
 * in seconds, and the per-contribution gradient store stays in tens of MB (see gradient-store.ts).
 */
export const SmallModelConfig = z.object({
  /** output classes: the most frequent training tokens, plus class 0 for every other token (UNK) */
  vocab: z.number().int().min(2).max(8192).default(512),
  /** hashed context-feature buckets (rows of the embedding table) */
  buckets: z
    .number()
    .int()
    .min(16)
    .max(1 << 20)
    .default(8192),
  /** hidden width */
  dim: z.number().int().min(1).max(256).default(16),
  /** context n-gram orders hashed into features: 1 = previous token, 2 = previous two, ... */
  orders: z.number().int().min(1).max(4).default(3),
  epochs: z.number().int().min(1).max(100).default(4),
  /** SGD step size of the first epoch; each later epoch multiplies it by lrDecay */
  lr: z.number().positive().max(10).default(0.05),
  lrDecay: z.number().positive().max(1).default(0.7),
  /** standard deviation of the initial weights */
  initScale: z.number().positive().max(1).default(0.1),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
})
export type SmallModelConfig = z.output<typeof SmallModelConfig>
export type SmallModelConfigInput = z.input<typeof SmallModelConfig>

/** How influence becomes weights; the cap is the same as the span scorer's. */
export const InfluenceParams = z.object({
  capBps: z.number().int().min(1).max(10_000).default(5_000),
  /** contributions listed as evidence, highest influence first */
  maxEvidence: z.number().int().min(1).max(10_000).default(16),
  /** contributions per worker task when computing or scoring gradients */
  sliceSize: z.number().int().min(1).max(100_000).default(64),
  /** bytes the per-contribution gradient store may take in total */
  maxGradientBytes: z
    .number()
    .int()
    .min(1)
    .max(2 ** 40)
    .default(512 * 2 ** 20),
})
export type InfluenceParams = z.output<typeof InfluenceParams>
export type InfluenceParamsInput = z.input<typeof InfluenceParams>
