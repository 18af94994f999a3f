import { CriticalError, ResetError, TemporaryError } from '../l1/errors.js'

/**
 * op-node's `io.EOF` between stages: the stage has nothing more for the current L1 origin. When it reaches the driver
 * the pipeline advances L1 traversal to the next block. A signal, not a failure: never logged as an error.
 */
export class EndOfData extends Error {
  override name = 'EndOfData'
}

/**
 * op-node's `NotEnoughData`: the stage made progress (consumed input) but has no output yet; step again right away.
 * A signal, not a failure.
 */
export class NotEnoughData extends Error {
  override name = 'NotEnoughData'
}

/** The pipeline's L1 view or buffered state no longer fits the L2 safe chain: reset to a common ancestor. */
export class PipelineResetError extends ResetError {
  override name = 'PipelineResetError'
}

/** The pipeline is in a state that cannot come from L1 data (a bug, or data lost past recovery). */
export class DerivationCriticalError extends CriticalError {
  override name = 'DerivationCriticalError'
}

/** The DA server does not have the data (HTTP 404). Retried while the commitment is young (op-alt-da semantics). */
export class DaNotFoundError extends TemporaryError {
  override name = 'DaNotFoundError'
}

/** The DA server failed (5xx, timeout, refused connection): retry forever, never skip (op-node). */
export class DaUnavailableError extends TemporaryError {
  override name = 'DaUnavailableError'
}

/**
 * The data for a commitment is still missing long after its L1 block (op-alt-da `ErrMissingPastWindow`): the chain
 * cannot be derived from what is available, a human must look.
 */
export class DaMissingPastWindowError extends CriticalError {
  override name = 'DaMissingPastWindowError'
}

/** What the DA server handed back does not match the commitment (bad hash, or eigenda-proxy's 418 cert failure). */
export class DaDataMismatchError extends Error {
  override name = 'DaDataMismatchError'
}
