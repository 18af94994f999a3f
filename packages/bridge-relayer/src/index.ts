export { oracleAbi, portalAbi } from './abis.js'
export { statusRoutes } from './api.js'
export { ENV_PREFIX, RelayerConfig, type RelayerConfigInput } from './config.js'
export { RelayerError, StoreCorruptError } from './errors.js'
export { createRelayerMetrics, type RelayerMetrics } from './metrics.js'
export {
  type DepositRecord,
  type DepositStatus,
  depositKey,
  type RelayerState,
  type WithdrawalRecord,
  type WithdrawalStatus,
} from './records.js'
export { Relayer, type RelayerOptions, type RelayerStats } from './relayer.js'
export { createRelayerService, type RelayerService } from './service.js'
export { JsonStore, STATE_FILE } from './store.js'
