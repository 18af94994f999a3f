/** Base of the relayer's errors; `details` names the values involved so logs and callers need not parse messages. */
export class RelayerError extends Error {
  override name = 'RelayerError'
  readonly details: Record<string, unknown>

  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.details = details
  }
}

/** The state file is unreadable or not the relayer's format: stop, a human must look (never start from empty). */
export class StoreCorruptError extends RelayerError {
  override name = 'StoreCorruptError'
}
