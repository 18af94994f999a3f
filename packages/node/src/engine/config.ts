import { z } from 'zod'

/**
 * What the engine needs to know about the chain. OP fork set is fixed (Regolith … Granite active at genesis, see
 * DESIGN.md), so there are no fork timestamps here: the EVM is Cancun, deposits follow Regolith/Canyon rules, the L1
 * fee follows Fjord.
 */
export const EngineConfig = z.object({
  chainId: z.bigint().positive(),
  /** EIP-1559 parameters; Canyon values are elasticity 6, denominator 250 (OP Mainnet's `eip1559DenominatorCanyon`). */
  eip1559: z
    .object({
      elasticity: z.bigint().positive(),
      denominator: z.bigint().positive(),
    })
    .default({ elasticity: 6n, denominator: 250n }),
})
export type EngineConfig = z.infer<typeof EngineConfig>
export type EngineConfigInput = z.input<typeof EngineConfig>
