import type { ShardRowsInput } from '../index/shard.js'
import type { InfluenceTask } from '../influence/influence-task.js'

/**
 * Work a shard worker does: longest matches, span occurrences, building a shard or dedupe keys off the main thread, or the
 * small-model influence path (training, gradient slices, TracIn scores).
 */
export type ShardTask =
  /** longest matches over the given shards (a worker takes all of its share of the index in one task) */
  | { kind: 'match'; shards: string[]; tokens: Uint32Array }
  | { kind: 'locate'; shards: string[]; tokens: Uint32Array; spans: Uint32Array; maxOccurrences: number }
  /** build, encode and hash a shard: answers an EncodedShard */
  | { kind: 'build'; rows: ShardRowsInput }
  /** dedupe keys of tokenized rows (row i is tokens[offsets[i], offsets[i+1])) */
  | { kind: 'row-keys'; tokens: Uint32Array; offsets: Uint32Array }
  | InfluenceTask
