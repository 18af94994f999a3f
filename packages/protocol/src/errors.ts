/**
 * Base of every error the protocol package throws. `details` names the offending field and value so a caller
 * (derivation, batcher, RPC) can log or classify the failure without parsing the message.
 */
export class ProtocolError extends Error {
  override name = 'ProtocolError'
  readonly details: Record<string, unknown>

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message)
    this.details = details
  }
}
