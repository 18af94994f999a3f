export { Bm25, bm25Terms } from './baselines/bm25.js'
export { AttributionEngine, type BuildProgress, type EngineOptions } from './engine/attribution-engine.js'
export * from './errors.js'
export { IndexStore, type VersionManifest } from './index/index-store.js'
export { buildSuffixArray } from './index/sais.js'
export { buildShard, type ShardMemory } from './index/shard.js'
export { decodeShardFile, encodeShardFile } from './index/shard-format.js'
export {
  InfluenceParams,
  type InfluenceParamsInput,
  SmallModelConfig,
  type SmallModelConfigInput,
} from './influence/config.js'
export * from './influence/errors.js'
export type { InfluenceEvidence, InfluenceResult } from './influence/influence-result.js'
export { InfluenceScorer, modelVersion } from './influence/influence-scorer.js'
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
export type { AttributionResult } from './scoring/attribution-result.js'
export { normalizeCredit } from './scoring/attribution-result.js'
export { ScoringParams } from './scoring/params.js'
export type { Scorer, ScorerMethod, SettleableResult } from './scoring/scorer.js'
export { buildClaimsTree, type ClaimProof, verifyClaim } from './settlement/claims-tree.js'
export { distributeContributorsPart } from './settlement/distribute-contributors-part.js'
export { EpochBook, type InferenceCharge } from './settlement/epoch-book.js'
export { computeInferenceFee, DEFAULT_SPLIT, type FeeSplit, splitModelFee } from './settlement/fee.js'
export { largestRemainder } from './settlement/largest-remainder.js'
export { type EpochSettlement, RecordingSettler, type Settler } from './settlement/settler.js'
export { createTokenizer, type Tokenizer } from './tokenizer/create-tokenizer.js'
