export { type BatchInboxConvention, batchInboxAddressFor } from './batch-inbox.js'
export {
  CHANNEL_TIMEOUT_GRANITE,
  channelTimeout,
  MAX_CHANNEL_BANK_SIZE_BEDROCK,
  MAX_CHANNEL_BANK_SIZE_FJORD,
  MAX_RLP_BYTES_PER_CHANNEL_BEDROCK,
  MAX_RLP_BYTES_PER_CHANNEL_FJORD,
  MAX_SEQUENCER_DRIFT_FJORD,
  maxChannelBankSize,
  maxRlpBytesPerChannel,
  maxSequencerDrift,
} from './chain-spec.js'
export {
  BatchInboxAddressError,
  RollupConfigError,
  type RollupConfigIssue,
  RollupConfigSerializeError,
} from './errors.js'
export { allForksAtGenesis, type Fork, forks, forkTimeKeys, isForkActive } from './forks.js'
export {
  type AltDaCommitmentType,
  type AltDaConfig,
  altDaCommitmentTypes,
  type BlockId,
  parseRollupConfig,
  type RollupConfig,
  type RollupConfigJson,
  rollupConfigSchema,
  serializeRollupConfig,
  toRollupConfigJson,
} from './rollup-config.js'
export { type SystemConfig, type SystemConfigJson, systemConfigJsonSchema } from './system-config.js'
