import type { ShardRowsInput } from '../index/shard.js'
import type { InfluenceTask } from '../influence/influence-task.js'

/**
 * Work a shard worker does: longest matches, span occurrences, building a shard off the main thread, or the
 * small-model influence path (training, gradient slices, TracIn scores).
 */
export type ShardTask =
  | { kind: 'match'; shard: string; tokens: Uint32Array }
  | { kind: 'locate'; shard: string; tokens: Uint32Array; spans: Uint32Array; maxOccurrences: number }
  | { kind: 'build'; rows: ShardRowsInput }
  | InfluenceTask
