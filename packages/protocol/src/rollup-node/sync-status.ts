import { z } from 'zod'
import { bytes32Json, uint64Json } from '../config/json-fields.js'

/**
 * op-node's rollup RPC shapes (op-service `eth.L1BlockRef`, `eth.L2BlockRef`, `eth.SyncStatus`, `eth.OutputResponse`)
 * as they come over the wire: snake_case status keys, uint64 fields as plain JSON numbers (Go), hashes 32 bytes.
 * Parsed numbers are bigint, like viem's block numbers. Extra keys op-node adds (`pending_safe_l2`, `syncStatus`
 * inside an output, ...) are accepted and dropped.
 */
export const l1BlockRefJson = z.object({
  hash: bytes32Json,
  number: uint64Json,
  parentHash: bytes32Json,
  timestamp: uint64Json,
})

export const l2BlockRefJson = l1BlockRefJson.extend({
  l1origin: z.object({ hash: bytes32Json, number: uint64Json }),
  sequenceNumber: uint64Json,
})

/** `optimism_syncStatus`: the fields op-batcher and op-proposer read. */
export const syncStatusJson = z.object({
  current_l1: l1BlockRefJson,
  head_l1: l1BlockRefJson,
  safe_l1: l1BlockRefJson,
  finalized_l1: l1BlockRefJson,
  unsafe_l2: l2BlockRefJson,
  safe_l2: l2BlockRefJson,
  finalized_l2: l2BlockRefJson,
})

/** `optimism_outputAtBlock`. */
export const outputResponseJson = z.object({
  version: bytes32Json,
  outputRoot: bytes32Json,
  blockRef: l2BlockRefJson,
  withdrawalStorageRoot: bytes32Json,
  stateRoot: bytes32Json,
})

export type L1BlockRefJson = z.output<typeof l1BlockRefJson>
export type L2BlockRefJson = z.output<typeof l2BlockRefJson>
export type SyncStatusJson = z.output<typeof syncStatusJson>
export type OutputResponseJson = z.output<typeof outputResponseJson>
