import { BatcherError } from '../errors.js'

export class TxManagerError extends BatcherError {
  override name = 'TxManagerError'
}

/** No version of the tx was confirmed within `sendTimeoutMs`. The nonce is given back for reuse. */
export class TxSendTimeoutError extends TxManagerError {
  override name = 'TxSendTimeoutError'
}

/** The node refused the tx for a reason fee bumping cannot fix (funds, gas limit, intrinsic gas, bad nonce). */
export class TxRejectedError extends TxManagerError {
  override name = 'TxRejectedError'
}

/** `close()` was called: queued sends fail with this and in-flight sends stop waiting. */
export class TxManagerClosedError extends TxManagerError {
  override name = 'TxManagerClosedError'
}
