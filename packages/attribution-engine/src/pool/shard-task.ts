import type { ShardRowsInput } from '../index/shard.js'

/** Work a shard worker does: longest matches, span occurrences, or building a shard off the main thread. */
export type ShardTask =
  | { kind: 'match'; shard: string; tokens: Uint32Array }
  | { kind: 'locate'; shard: string; tokens: Uint32Array; spans: Uint32Array; maxOccurrences: number }
  | { kind: 'build'; rows: ShardRowsInput }
