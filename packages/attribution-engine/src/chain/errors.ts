import { AttributionError } from '../errors.js'

/** The chain no longer holds the block a cursor points at: a reorg deeper than the confirmation depth. */
export class DeepReorgError extends AttributionError {
  override name = 'DeepReorgError'
}

/**
 * The content behind a commitment or URI does not exist (HTTP 404, missing file). It is an AttributionError so
 * ingestion rejects that one contribution and carries on with the others.
 */
export class ContentUnavailableError extends AttributionError {
  override name = 'ContentUnavailableError'
}

/**
 * The DA server or content host failed in a way that may pass (5xx, network, timeout). Deliberately not an
 * AttributionError: ingestion stops the whole batch and the next poll retries it, so no approval is skipped.
 */
export class ContentFetchTemporaryError extends Error {
  override name = 'ContentFetchTemporaryError'
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

/** The epoch's totals differ from the on-chain escrow: `settle` would revert with TotalsMismatch. */
export class TotalsMismatchError extends AttributionError {
  override name = 'TotalsMismatchError'
}

/** The configured attestor may not settle (no ATTESTOR_ROLE, or its bond is below the minimum). */
export class NotBondedAttestorError extends AttributionError {
  override name = 'NotBondedAttestorError'
}

/** Another settlement of this epoch is already on chain (different roots). */
export class EpochAlreadySettledError extends AttributionError {
  override name = 'EpochAlreadySettledError'
}

/** The settlement transaction was mined but reverted. */
export class SettlementRevertedError extends AttributionError {
  override name = 'SettlementRevertedError'
}

/** An attribution names an inference the chain has not recorded as paid (yet), or one already settled. */
export class UnknownInferenceError extends AttributionError {
  override name = 'UnknownInferenceError'
}

/**
 * An attribution of another output for an inference that already has one (HTTP 409): the first one stands, it is
 * what the epoch settles. The same output again is answered with the first booking.
 */
export class InferenceAlreadyAttributedError extends AttributionError {
  override name = 'InferenceAlreadyAttributedError'
}

/** An approval whose submission event cannot be found: wrong start block or a node missing logs. */
export class MissingSubmissionError extends AttributionError {
  override name = 'MissingSubmissionError'
}

/** ModelRegistry returned a model kind this engine has no scorer for. */
export class UnknownModelKindError extends AttributionError {
  override name = 'UnknownModelKindError'
}

/** A chain-mode attribution without a signature, or one no address can be recovered from (HTTP 401). */
export class OutputSignatureRequiredError extends AttributionError {
  override name = 'OutputSignatureRequiredError'
}

/** The output's signer is not the owner of the inference's model in ModelRegistry (HTTP 403). */
export class OutputSignerNotModelOwnerError extends AttributionError {
  override name = 'OutputSignerNotModelOwnerError'
}

/** At start the L2 RPC did not answer, or AttributionRewards had no code, within `--chain-wait-ms`. */
export class ChainNotReadyError extends AttributionError {
  override name = 'ChainNotReadyError'
}
