export { Batcher, type BatcherOptions, type BatcherStats, type SubmissionKind } from './batcher.js'
export { type BatchType, blocksToBatches, blockToSingularBatch } from './channel/block-to-batch.js'
export { Channel, type ChannelOptions, type TxData } from './channel/channel.js'
export { type ChannelEvent, ChannelManager, type ChannelManagerOptions } from './channel/channel-manager.js'
export { BatcherConfig, type BatcherConfigInput } from './config.js'
export { type DaClient, type DaClientOptions, EigenDaProxyClient } from './da/da-client.js'
export {
  DaClientError,
  DaNotFoundError,
  DaRequestError,
  DaServerError,
  DaTimeoutError,
  DaUnavailableError,
  isFailoverError,
} from './da/errors.js'
export { BatcherError, BlockNotFoundError, ReorgDetectedError, RpcShapeError } from './errors.js'
export { MemoryL2Source } from './l2/memory-l2-source.js'
export { RpcL2Source, rawTransaction, toL2Block } from './l2/rpc-l2-source.js'
export { blockRef, type L1BlockRef, type L2Block, type L2BlockRef, type L2Source, type SyncStatus } from './l2/types.js'
export { type BatcherService, createBatcherService } from './service/create.js'
export { type BatcherMetrics, createBatcherMetrics } from './service/metrics.js'
