export { addressFromBatcherHash, batcherHashFromAddress } from './batcher-hash.js'
export {
  decodeL1InfoBedrock,
  encodeL1InfoBedrock,
  L1_INFO_BEDROCK_LENGTH,
  L1_INFO_BEDROCK_SELECTOR,
  type L1BlockInfoBedrock,
} from './bedrock-calldata.js'
export {
  BLOB_BASE_FEE_UPDATE_FRACTION,
  computeBlobBaseFee,
  fakeExponential,
  MIN_BLOB_BASE_FEE,
} from './blob-base-fee.js'
export {
  CONFIG_UPDATE_TOPIC,
  CONFIG_UPDATE_TYPE,
  CONFIG_UPDATE_VERSION_0,
  type ConfigUpdate,
  type ConfigUpdateLog,
  decodeConfigUpdateLog,
} from './config-update.js'
export { extractConfigUpdates, type RejectedConfigUpdate } from './config-updates-from-receipts.js'
export {
  decodeL1InfoEcotone,
  encodeL1InfoEcotone,
  L1_INFO_ECOTONE_LENGTH,
  L1_INFO_ECOTONE_SELECTOR,
  type L1BlockInfoEcotone,
} from './ecotone-calldata.js'
export {
  BatcherHashError,
  BlobBaseFeeError,
  ConfigUpdateDataError,
  ConfigUpdateTopicsError,
  ConfigUpdateVersionError,
  Eip1559ParamsError,
  L1InfoFieldError,
  L1InfoLengthError,
  L1InfoSelectorError,
  ScalarPaddingError,
  ScalarVersionError,
  UnknownConfigUpdateTypeError,
  WordPaddingError,
} from './errors.js'
export {
  assertValidEcotoneScalar,
  decodeEcotoneScalar,
  type EcotoneScalars,
  encodeEcotoneScalar,
  SCALAR_VERSION,
} from './fee-scalars.js'
export { decodeL1BlockInfo, type L1BlockInfo } from './l1-block-info.js'
export {
  buildL1InfoDepositTransaction,
  L1_BLOCK_ADDRESS,
  L1_INFO_DEPOSIT_GAS,
  L1_INFO_DEPOSITOR_ADDRESS,
  type L1InfoOrigin,
  type L1InfoSystemConfig,
  l1BlockInfoFromOrigin,
  l1InfoDepositFromBlockInfo,
} from './l1-info-transaction.js'
