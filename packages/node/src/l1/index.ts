export { ConfDepthL1Source } from './conf-depth.js'
export {
  CriticalError,
  L1InconsistentError,
  L1ReorgError,
  L1UnavailableError,
  NodeError,
  ResetError,
  severityOf,
  TemporaryError,
} from './errors.js'
export type { L1Source } from './l1-source.js'
export { type L1Status, L1Tracker } from './l1-tracker.js'
export { type MemoryL1BlockInput, MemoryL1Source } from './memory-l1-source.js'
export {
  formatRef,
  type L1BlockInfo,
  type L1BlockRef,
  type L1BlockTag,
  type L1Receipt,
  toBlockRef,
} from './types.js'
export { blockInfo, ViemL1Source } from './viem-l1-source.js'
