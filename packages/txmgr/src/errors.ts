/** Base of the tx manager's errors; `details` names the values involved so logs and callers need not parse messages. */
export class TxManagerError extends Error {
  override name = 'TxManagerError'
  readonly details: Record<string, unknown>

  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.details = details
  }
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
