import { ProtocolError } from '../errors.js'

/** L1-info calldata of the wrong length for its variant (`details.length`, `details.expected`). */
export class L1InfoLengthError extends ProtocolError {
  override name = 'L1InfoLengthError'
}

/** L1-info calldata that does not start with the variant's function selector. */
export class L1InfoSelectorError extends ProtocolError {
  override name = 'L1InfoSelectorError'
}

/** A 32-byte word whose padding must be zero is not (`details.field` names the value). */
export class WordPaddingError extends ProtocolError {
  override name = 'WordPaddingError'
}

/** A value given to an encoder does not fit its field (`details.field`). */
export class L1InfoFieldError extends ProtocolError {
  override name = 'L1InfoFieldError'
}

/** A SystemConfig scalar whose version byte is neither 0 nor 1. */
export class ScalarVersionError extends ProtocolError {
  override name = 'ScalarVersionError'
}

/** A SystemConfig scalar whose padding bytes are not zero. */
export class ScalarPaddingError extends ProtocolError {
  override name = 'ScalarPaddingError'
}

/** A batcher hash that is not version 0 (`0x00`, 11 zero bytes, address). */
export class BatcherHashError extends ProtocolError {
  override name = 'BatcherHashError'
}

/** Blob base fee inputs out of range, or a result that does not fit uint256. */
export class BlobBaseFeeError extends ProtocolError {
  override name = 'BlobBaseFeeError'
}

/** A `ConfigUpdate` log with the wrong number of topics or the wrong event signature. */
export class ConfigUpdateTopicsError extends ProtocolError {
  override name = 'ConfigUpdateTopicsError'
}

/** A `ConfigUpdate` log whose version topic is not 0. */
export class ConfigUpdateVersionError extends ProtocolError {
  override name = 'ConfigUpdateVersionError'
}

/** A `ConfigUpdate` log whose update type is none of 0..7. */
export class UnknownConfigUpdateTypeError extends ProtocolError {
  override name = 'UnknownConfigUpdateTypeError'
}

/** A `ConfigUpdate` payload that breaks the ABI `bytes` rules (pointer, length, padding, size). */
export class ConfigUpdateDataError extends ProtocolError {
  override name = 'ConfigUpdateDataError'
}

/** EIP-1559 params with exactly one of denominator and elasticity zero. */
export class Eip1559ParamsError extends ProtocolError {
  override name = 'Eip1559ParamsError'
}
