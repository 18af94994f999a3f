export {
  type L1BlockRefJson,
  type L2BlockRefJson,
  l1BlockRefJson,
  l2BlockRefJson,
  type OutputResponseJson,
  outputResponseJson,
  type SyncStatusJson,
  syncStatusJson,
} from './sync-status.js'
