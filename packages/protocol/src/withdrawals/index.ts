export {
  MessageNonceError,
  MessagePassedLogError,
  OutputRootError,
  WithdrawalHashMismatchError,
} from './errors.js'
export { decodeMessageNonce, encodeMessageNonce, MESSAGE_PASSER_VERSION, type MessageNonce } from './message-nonce.js'
export {
  decodeMessagePassedLog,
  extractMessagePassedLogs,
  L2_TO_L1_MESSAGE_PASSER,
  type LogLike,
  MESSAGE_PASSED_TOPIC,
  type MessagePassed,
} from './message-passed.js'
export {
  decodeOutputRootProof,
  encodeOutputRootProof,
  hashOutputRootProof,
  OUTPUT_ROOT_VERSION_V0,
  type OutputRootProof,
  outputRootV0,
} from './output-root.js'
export { SENT_MESSAGES_SLOT, withdrawalStorageSlot } from './storage-slot.js'
export { hashWithdrawal, type Withdrawal } from './withdrawal.js'
