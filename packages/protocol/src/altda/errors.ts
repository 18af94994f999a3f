import { ProtocolError } from '../errors.js'

/** No bytes where a commitment was expected. */
export class EmptyCommitmentError extends ProtocolError {
  override name = 'EmptyCommitmentError'
}

/** A commitment type byte other than 0x00 (keccak) or 0x01 (generic). */
export class UnknownCommitmentTypeError extends ProtocolError {
  override name = 'UnknownCommitmentTypeError'
}

/** A commitment payload too short (or, for keccak, not exactly 32 bytes) for its type. */
export class CommitmentLengthError extends ProtocolError {
  override name = 'CommitmentLengthError'
}

/** Batcher calldata that does not start with the alt-DA tx-data version byte 0x01. */
export class TxDataVersionError extends ProtocolError {
  override name = 'TxDataVersionError'
}

/** A commitment key (e.g. from a `/get/0x…` path) that is not hex. */
export class CommitmentHexError extends ProtocolError {
  override name = 'CommitmentHexError'
}

/** Data that does not hash to its keccak commitment. */
export class CommitmentMismatchError extends ProtocolError {
  override name = 'CommitmentMismatchError'
}

/** A generic commitment for a DA layer other than EigenDA (da_layer byte 0x00). */
export class NotEigenDaCommitmentError extends ProtocolError {
  override name = 'NotEigenDaCommitmentError'
}

/** An EigenDA cert version byte the proxy does not define. */
export class UnknownCertVersionError extends ProtocolError {
  override name = 'UnknownCertVersionError'
}

/** Bytes that are not a dev DA certificate (length, magic or format version). */
export class DevCertError extends ProtocolError {
  override name = 'DevCertError'
}

/** Data that is not what its dev DA certificate was issued for; `details.field` says which binding failed. */
export class DevCertMismatchError extends ProtocolError {
  override name = 'DevCertMismatchError'
}
