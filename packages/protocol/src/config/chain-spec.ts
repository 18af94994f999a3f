import { isForkActive } from './forks.js'
import type { RollupConfig } from './rollup-config.js'

// op-node `rollup/chain_spec.go` and `params/protocol.go`: values that became protocol constants in a fork.

/** Fjord turned the sequencer drift into a constant (seconds). */
export const MAX_SEQUENCER_DRIFT_FJORD = 1800n
/** Granite turned the channel timeout into a constant (L1 blocks). */
export const CHANNEL_TIMEOUT_GRANITE = 50n
/** Zip-bomb guard: decompressed bytes read from one channel. */
export const MAX_RLP_BYTES_PER_CHANNEL_BEDROCK = 10_000_000
export const MAX_RLP_BYTES_PER_CHANNEL_FJORD = 100_000_000
/** Channel bank size (frame data + 200 per frame) above which the oldest channels are pruned. */
export const MAX_CHANNEL_BANK_SIZE_BEDROCK = 100_000_000
export const MAX_CHANNEL_BANK_SIZE_FJORD = 1_000_000_000

type ForkTimes = Pick<RollupConfig, 'forkTimes'>

/** Max seconds an L2 block may run ahead of its L1 origin; `timestamp` is the L1 origin's time, as in op-node. */
export function maxSequencerDrift(config: ForkTimes & Pick<RollupConfig, 'maxSequencerDrift'>, timestamp: bigint) {
  return isForkActive(config, 'fjord', timestamp) ? MAX_SEQUENCER_DRIFT_FJORD : config.maxSequencerDrift
}

/** L1 blocks a channel may stay open; `timestamp` is the current L1 origin's time, as in op-node. */
export function channelTimeout(config: ForkTimes & Pick<RollupConfig, 'channelTimeoutBedrock'>, timestamp: bigint) {
  return isForkActive(config, 'granite', timestamp) ? CHANNEL_TIMEOUT_GRANITE : config.channelTimeoutBedrock
}

export function maxRlpBytesPerChannel(config: ForkTimes, timestamp: bigint): number {
  return isForkActive(config, 'fjord', timestamp) ? MAX_RLP_BYTES_PER_CHANNEL_FJORD : MAX_RLP_BYTES_PER_CHANNEL_BEDROCK
}

export function maxChannelBankSize(config: ForkTimes, timestamp: bigint): number {
  return isForkActive(config, 'fjord', timestamp) ? MAX_CHANNEL_BANK_SIZE_FJORD : MAX_CHANNEL_BANK_SIZE_BEDROCK
}
