/**
 * Gas above an estimate for transactions whose cost depends on the block they land in. `payInference` estimated
 * in one epoch and mined in the next writes the new epoch's escrow slot for the first time (a fresh SSTORE,
 * ~20,000 gas more): seen as 86,342 of 86,351 gas used, then out of gas. 30,000 covers that slot with margin; a
 * relative factor would not, since the jump is fixed while the estimate is small.
 */
export const GAS_HEADROOM = 30_000n

/** `estimate` plus GAS_HEADROOM: the gas limit to send with. */
export function gasWithHeadroom(estimate: bigint): bigint {
  return estimate + GAS_HEADROOM
}
