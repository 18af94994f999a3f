export { DEVNET_ATTESTOR_INDEX, devnetAttestorKey } from '@opl/service-kit'
export { Bm25, bm25Terms } from './baselines/bm25.js'
export { attributionRewardsAbi, datanetRegistryAbi, modelRegistryAbi, SETTLEMENT_STATUS } from './chain/abis.js'
export { ChainEpochs, type ChainEpochsOptions } from './chain/chain-epochs.js'
export { type ChainService, createChainService } from './chain/chain-service.js'
export * from './chain/errors.js'
export { ContentFetcher, type DataRef, decodeDataRef } from './chain/fetch-content.js'
export { GAS_HEADROOM, gasWithHeadroom } from './chain/gas-headroom.js'
export {
  epochOfInference,
  InferenceFeed,
  indexOfInference,
  type PaidInference,
} from './chain/inference-feed.js'
export { RegistryContributionSource } from './chain/registry-contribution-source.js'
export { type AttestorWallet, RewardsSettler, SETTLEMENT_TYPES, type SettlementInput } from './chain/rewards-settler.js'
export { type SettledEpoch, SettledStore } from './chain/settled-store.js'
export { BridgeTimeoutError, bridgeOpenToL2 } from './devnet/bridge-open.js'
export { DevnetFile, devnetChains, readDevnetFile } from './devnet/devnet-file.js'
export { ensureDevnetAttestor } from './devnet/ensure-attestor.js'
export { devnetConfigInput, startDevnetAttribution } from './devnet/start-devnet-attribution.js'
export { AttributionEngine, type BuildProgress, type EngineOptions } from './engine/attribution-engine.js'
export * from './errors.js'
export { IndexStore, type VersionManifest } from './index/index-store.js'
export { buildSuffixArray } from './index/sais.js'
export { buildShard, type ShardMemory, shardViews } from './index/shard.js'
export { decodeShardFile, type EncodedShard, encodeShardFile } from './index/shard-format.js'
export { splitShardInput } from './index/split-shard-input.js'
export {
  InfluenceParams,
  type InfluenceParamsInput,
  SmallModelConfig,
  type SmallModelConfigInput,
} from './influence/config.js'
export * from './influence/errors.js'
export type { InfluenceEvidence, InfluenceResult } from './influence/influence-result.js'
export { InfluenceScorer, modelVersion } from './influence/influence-scorer.js'
export { loadTrainedModel, saveTrainedModel } from './influence/model-file.js'
export { SmallModels, type SmallModelsOptions } from './influence/small-models.js'
export { type TrainedModel, trainSmallLm } from './influence/train.js'
export {
  loadTrainingSet,
  type TrainingContribution,
  type TrainingSet,
  trainingSetOf,
} from './influence/training-set.js'
export { Catalog, type CatalogEntry } from './ingest/catalog.js'
export type { ContributionRecord, ContributionSource } from './ingest/contribution-source.js'
export { FileContributionSource } from './ingest/file-source.js'
export { InMemoryContributionSource, makeContribution } from './ingest/in-memory-source.js'
export type { IngestReport } from './ingest/ingest-contributions.js'
export { splitRows } from './ingest/split-rows.js'
export { verifyContentHash } from './ingest/verify-content-hash.js'
export { evaluatePlanted, type PlantedScores, type Prediction } from './planted/evaluate-planted.js'
export { contributorAddress, generatePlantedSet, type PlantedSet } from './planted/generate-planted-set.js'
export { seededRandom } from './planted/random.js'
export * from './pool/errors.js'
export { WorkerPool } from './pool/worker-pool.js'
export { bm25ScoresByContribution, spanScoresByContribution } from './quality/contribution-scores.js'
export { type LdsReport, linearDatamodelingScore } from './quality/lds.js'
export { randomSubsets } from './quality/random-subsets.js'
export { retrainOnSubsets } from './quality/run-lds.js'
export { spearman } from './quality/spearman.js'
export { applyPayoutScales, type PenaltyRecord } from './scoring/apply-payout-scales.js'
export type { AttributionResult } from './scoring/attribution-result.js'
export { normalizeCredit } from './scoring/attribution-result.js'
export { ScoringParams } from './scoring/params.js'
export type { Scorer, ScorerMethod, SettleableResult } from './scoring/scorer.js'
export { type AnyAttribution, type AttributeRequest, Attributor } from './service/attributor.js'
export { createOutputAuthorizer } from './service/authorize-output.js'
export { ChainFacts, type PaidInferenceFacts } from './service/chain-facts.js'
export { AttributionConfig } from './service/config.js'
export { AttributionRequest, type ChainHooks, createAttributionServer } from './service/http-server.js'
export {
  INFERENCE_OUTPUT_TYPES,
  type InferenceOutputMessage,
  inferenceOutputDomain,
  recoverInferenceOutputSigner,
  signInferenceOutput,
} from './service/inference-output-signature.js'
export { createMetrics, type Metrics } from './service/metrics.js'
export { ResultStore, ResultStoreCorruptError, type StoredAttribution } from './service/result-store.js'
export { type RunningAttributionService, startAttributionService } from './service/start-service.js'
export { buildClaimsTree, type ClaimProof, verifyClaim } from './settlement/claims-tree.js'
export { distributeContributorsPart } from './settlement/distribute-contributors-part.js'
export { EpochBook, type InferenceCharge } from './settlement/epoch-book.js'
export { computeInferenceFee, DEFAULT_SPLIT, type FeeSplit, splitModelFee } from './settlement/fee.js'
export { largestRemainder } from './settlement/largest-remainder.js'
export { type EpochSettlement, RecordingSettler, type Settler } from './settlement/settler.js'
export { createTokenizer, type Tokenizer } from './tokenizer/create-tokenizer.js'
