import type { Address, Hex } from 'viem'

/** What settlement needs from any scorer's result (EpochBook books it; the digest pins the evidence). */
export type SettleableResult = {
  /** the version hash that pins everything the result depends on: an index version or a model version */
  indexVersion: Hex
  outputHash: Hex
  contributors: ReadonlyArray<{ contributor: Address; weightWad: string }>
  unattributedWad: string
  digest: Hex
}

/** How a scorer credits an output: copied spans (large models) or training influence (small models). */
export type ScorerMethod = 'span' | 'influence'

/**
 * A scorer turns one model output into per-contributor weights plus evidence. Every scorer normalizes through
 * `normalizeCredit` (cap, explicit unattributed share, exact 1e18 integers), so settlement is method-agnostic.
 */
export interface Scorer<R extends SettleableResult = SettleableResult> {
  readonly method: ScorerMethod
  attribute(output: string, options?: { signal?: AbortSignal }): Promise<R>
}
