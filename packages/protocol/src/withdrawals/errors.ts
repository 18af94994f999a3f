import { ProtocolError } from '../errors.js'

/** A log that is not a well-formed `MessagePassed` event of the L2ToL1MessagePasser. */
export class MessagePassedLogError extends ProtocolError {
  override name = 'MessagePassedLogError'
}

/** A `MessagePassed` log whose `withdrawalHash` is not the hash of its own fields: not the real message passer. */
export class WithdrawalHashMismatchError extends ProtocolError {
  override name = 'WithdrawalHashMismatchError'
}

/** An output root preimage with a version other than v0, or of the wrong length. */
export class OutputRootError extends ProtocolError {
  override name = 'OutputRootError'
}

/** A message nonce whose version or counter does not fit its 16 / 240 bits. */
export class MessageNonceError extends ProtocolError {
  override name = 'MessageNonceError'
}
