/**
 * Errors say what to do next (style.md): `TemporaryError` — retry later (L1 unreachable, a block not there yet);
 * `ResetError` — L1 changed under us (the L1 origin was reorged out), what was built on it must be re-examined;
 * `CriticalError` — stop, a human must look (invalid config, deposits that cannot be read). Derivation and the
 * sequencer handle them in one place each. They live here, next to the L1 source, because the L1 is where most of them
 * come from and both derivation and the sequencer depend on this module.
 */
export abstract class NodeError extends Error {
  abstract readonly severity: 'temporary' | 'reset' | 'critical'
  readonly details: Record<string, unknown>

  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options)
    this.details = details
  }
}

export class TemporaryError extends NodeError {
  override name = 'TemporaryError'
  readonly severity = 'temporary' as const
}

export class ResetError extends NodeError {
  override name = 'ResetError'
  readonly severity = 'reset' as const
}

export class CriticalError extends NodeError {
  override name = 'CriticalError'
  readonly severity = 'critical' as const
}

/** The L1 node did not answer, or answered with a transport/server error: retry. */
export class L1UnavailableError extends TemporaryError {
  override name = 'L1UnavailableError'
}

/**
 * The L1 node answered, but not consistently (receipts of another block, a count that does not match the block):
 * usually a load-balanced RPC whose backends disagree for a moment, or a reorg between two calls. Retry.
 */
export class L1InconsistentError extends TemporaryError {
  override name = 'L1InconsistentError'
}

/** The L1 block we built on is no longer canonical. */
export class L1ReorgError extends ResetError {
  override name = 'L1ReorgError'
}

/** Classifies anything thrown: our typed errors keep their class, everything else is critical (a bug, not weather). */
export function severityOf(error: unknown): NodeError['severity'] {
  return error instanceof NodeError ? error.severity : 'critical'
}
