export { AttributesQueue } from './attributes-queue.js'
export { type BatchValidity, checkSingularBatch, checkSpanBatch } from './batch-checks.js'
export { BatchQueue, type DroppedBatch, type NextBatch } from './batch-queue.js'
export { ChannelBank, type ChannelBankEvent, type ReadyChannel } from './channel-bank.js'
export { type Batch, ChannelReader } from './channel-reader.js'
export { attributesMismatch } from './consolidation.js'
export { type DaSource, HttpDaSource, type HttpDaSourceOptions, verifyDaData } from './da-source.js'
export { BatcherDataSource, type DataSourceParameters, type SkippedData } from './data-source.js'
export {
  Derivation,
  type DerivationEvents,
  type DerivationParameters,
  type StepResult,
} from './derivation.js'
export { EngineChain } from './engine-chain.js'
export { EngineQueue, type SafeBlockDecision } from './engine-queue.js'
export {
  DaDataMismatchError,
  DaMissingPastWindowError,
  DaNotFoundError,
  DaUnavailableError,
  DerivationCriticalError,
  EndOfData,
  NotEnoughData,
  PipelineResetError,
} from './errors.js'
export { Finalizer } from './finality.js'
export { FrameQueue } from './frame-queue.js'
export { L1Retrieval } from './l1-retrieval.js'
export {
  type L1Transaction,
  type L1TransactionSource,
  MemoryL1TransactionSource,
  ViemL1TransactionSource,
} from './l1-transactions.js'
export { L1Traversal } from './l1-traversal.js'
export { findResetPoint, type ResetPoint } from './sync-start.js'
export type { DerivationChain, DerivedAttributes, ResettableStage, SafeOrigin } from './types.js'
