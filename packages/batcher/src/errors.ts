/** Base of the batcher's errors; `details` names the values involved so logs and callers need not parse messages. */
export class BatcherError extends Error {
  override name = 'BatcherError'
  readonly details: Record<string, unknown>

  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.details = details
  }
}

/** The L2 source has no block at that height (yet). Temporary: retry on the next poll. */
export class BlockNotFoundError extends BatcherError {
  override name = 'BlockNotFoundError'
}

/** A block does not extend the last one queued: the L2 chain reorged. Reset: drop state, reload from the safe head. */
export class ReorgDetectedError extends BatcherError {
  override name = 'ReorgDetectedError'
}

/** A JSON-RPC answer that does not have op-node's / op-geth's shape. */
export class RpcShapeError extends BatcherError {
  override name = 'RpcShapeError'
}
