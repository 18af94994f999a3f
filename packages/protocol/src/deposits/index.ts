export { applyL1ToL2Alias, L1_TO_L2_ALIAS_OFFSET, undoL1ToL2Alias } from './aliasing.js'
export {
  DEPOSIT_EVENT_VERSION_0,
  type DepositLog,
  decodeDepositLog,
  encodeDepositLog,
  TRANSACTION_DEPOSITED_TOPIC,
} from './deposit-log.js'
export {
  DEPOSIT_TX_TYPE,
  type DepositTransaction,
  decodeDepositTransaction,
  encodeDepositTransaction,
  encodeDepositTransactionBytes,
  hashDepositTransaction,
} from './deposit-transaction.js'
export {
  AliasAddressError,
  DepositLogDataError,
  DepositLogTopicsError,
  DepositLogVersionError,
  DepositReceiptsError,
  DepositTxFieldError,
  DepositTxRlpError,
  DepositTxTypeError,
  OpaqueDepositDataError,
  SourceHashInputError,
} from './errors.js'
export type { L1Log, L1Receipt } from './l1-receipt.js'
export {
  type DepositData,
  decodeOpaqueDepositData,
  encodeOpaqueDepositData,
  OPAQUE_DATA_HEAD_LENGTH,
} from './opaque-data.js'
export {
  afterForceIncludeSourceHash,
  l1InfoDepositSourceHash,
  SOURCE_HASH_DOMAIN,
  upgradeDepositSourceHash,
  userDepositSourceHash,
} from './source-hash.js'
export { extractUserDeposits } from './user-deposits.js'
