import type { RollupConfig } from './rollup-config.js'

/**
 * The network upgrades this node implements, oldest first. Bedrock is the base protocol and always active. Holocene
 * and later are deliberately absent: the 0.17.3 contracts stop at Fjord/Granite (DESIGN.md), so a rollup.json that
 * schedules them is rejected by the schema instead of being half-honoured.
 */
export const forks = ['regolith', 'canyon', 'delta', 'ecotone', 'fjord', 'granite'] as const

export type Fork = (typeof forks)[number]

/** Our chain's schedule: every implemented fork active from genesis, so no upgrade transactions are ever needed. */
export const allForksAtGenesis: Readonly<Record<Fork, bigint>> = Object.freeze(
  Object.fromEntries(forks.map((fork) => [fork, 0n])) as Record<Fork, bigint>,
)

/** rollup.json key of each fork's activation timestamp. */
export const forkTimeKeys = {
  regolith: 'regolith_time',
  canyon: 'canyon_time',
  delta: 'delta_time',
  ecotone: 'ecotone_time',
  fjord: 'fjord_time',
  granite: 'granite_time',
} as const satisfies Record<Fork, string>

/**
 * Whether `fork` is active at `timestamp` (an L2 block time, or an L1 origin time where the rule is keyed on it).
 * As op-node's `Is<Fork>`: active iff the activation time is set and `timestamp >= time`.
 */
export function isForkActive(config: Pick<RollupConfig, 'forkTimes'>, fork: Fork, timestamp: bigint | number): boolean {
  const activation = config.forkTimes[fork]
  return activation !== undefined && BigInt(timestamp) >= activation
}
