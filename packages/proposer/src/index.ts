export { l2OutputOracleAbi } from './abis.js'
export { ENV_PREFIX, ProposerConfig, type ProposerConfigInput } from './config.js'
export { OutputMismatchError, ProposalFailedError, ProposerError, RollupRpcShapeError } from './errors.js'
export { createProposerMetrics, type ProposerMetrics } from './metrics.js'
export { type Proposal, Proposer, type ProposerOptions, type ProposerStats, type ProposerStep } from './proposer.js'
export {
  type L1BlockRef,
  type L2BlockRef,
  type OutputResponse,
  RollupRpcClient,
  type SyncStatus,
} from './rollup-rpc.js'
export { createProposerService, type ProposerService } from './service.js'
export { verifyOutput } from './verify-output.js'
