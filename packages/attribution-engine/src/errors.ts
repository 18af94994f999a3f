/**
 * Base of every error the attribution engine throws. `details` carries the offending ids and values so the HTTP
 * layer and logs can classify a failure without parsing the message.
 */
export class AttributionError extends Error {
  override name = 'AttributionError'
  readonly details: Record<string, unknown>

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message)
    this.details = details
  }
}

/** The content fetched for a contribution does not hash to the value recorded on chain. */
export class ContentHashMismatchError extends AttributionError {
  override name = 'ContentHashMismatchError'
}

/** A shard file is truncated, has the wrong magic or does not hash to its name. */
export class ShardFormatError extends AttributionError {
  override name = 'ShardFormatError'
}

/** An index version (or its HEAD) is missing or does not hash to its name. */
export class IndexVersionError extends AttributionError {
  override name = 'IndexVersionError'
}

/** Input the caller can fix: empty output, bad params. */
export class InvalidInputError extends AttributionError {
  override name = 'InvalidInputError'
}

/** Fee, split or payout parameters outside their bounds. */
export class SettlementError extends AttributionError {
  override name = 'SettlementError'
}

/** A stored result or claim that does not exist. */
export class NotFoundError extends AttributionError {
  override name = 'NotFoundError'
}
