export { createTxManager, type TxManagerConfig, txManagerConfigFields } from './config.js'
export { TxManagerClosedError, TxManagerError, TxRejectedError, TxSendTimeoutError } from './errors.js'
export { bumpFees, type Fees, suggestFees } from './fees.js'
export { type SendResult, type TxCandidate, TxManager, type TxManagerOptions } from './tx-manager.js'
