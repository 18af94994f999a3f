export * from './addresses.js'
export { BlockBuilder, type PayloadAttributes, type SealedBlock } from './block-builder.js'
export { BlockHashes } from './block-hashes.js'
export { createEngineCommon } from './common.js'
export { EngineConfig, type EngineConfigInput } from './config.js'
export { ecrecover, keccak256 } from './crypto.js'
export { LevelNodeBackend } from './db/level-backend.js'
export { MemoryNodeBackend } from './db/memory-backend.js'
export { type NodeBackend, NodeDB, type NodeWrite } from './db/node-db.js'
export { OverlayNodeDB } from './db/overlay-db.js'
export { type Eip1559Params, nextBaseFee } from './eip1559.js'
export { type CreateEngineParameters, Engine } from './engine.js'
export { BlockBuildError, EngineError, InvalidTransactionError, TxRejectReason } from './errors.js'
export type { DepositFailure } from './execute-deposit.js'
export { flzCompressLen } from './fastlz.js'
export {
  applyGenesisAlloc,
  createGenesis,
  type GenesisAccount,
  type GenesisAlloc,
  type GenesisSpec,
} from './genesis.js'
export { type L1FeeParams, type L1FeeReceiptFields, l1FeeFjord, l1FeeFunction, readL1FeeParams } from './l1-fee.js'
export { CANYON_DEPOSIT_RECEIPT_VERSION, type EngineReceipt, encodeReceipt, logsBloom } from './receipts.js'
export { createEngineState } from './state.js'
export { type DepositTx, decodeTransaction, depositTx, type EngineTx, signedTx } from './transactions.js'
