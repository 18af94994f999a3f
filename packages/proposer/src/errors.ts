/** Base of the proposer's errors; `details` names the values involved so logs and callers need not parse messages. */
export class ProposerError extends Error {
  override name = 'ProposerError'
  readonly details: Record<string, unknown>

  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.details = details
  }
}

/** A rollup-node answer without op-node's shape (numbers must be JSON numbers, hashes 32 bytes). */
export class RollupRpcShapeError extends ProposerError {
  override name = 'RollupRpcShapeError'
}

/**
 * The output the rollup node gave does not match the L2 execution client's block and `eth_getProof`. Critical: the
 * proposer never posts it (a wrong root lets a forged withdrawal through once it finalizes).
 */
export class OutputMismatchError extends ProposerError {
  override name = 'OutputMismatchError'
}

/** `proposeL2Output` was mined but reverted, or emitted no `OutputProposed`. */
export class ProposalFailedError extends ProposerError {
  override name = 'ProposalFailedError'
}
