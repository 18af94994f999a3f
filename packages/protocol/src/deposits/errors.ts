import { ProtocolError } from '../errors.js'

/** The bytes do not start with the deposit type byte 0x7E. */
export class DepositTxTypeError extends ProtocolError {
  override name = 'DepositTxTypeError'
}

/** The RLP body is malformed: bad prefix or length, trailing bytes, not a list of exactly 8 byte strings. */
export class DepositTxRlpError extends ProtocolError {
  override name = 'DepositTxRlpError'
}

/** One field of a deposit tx has the wrong size, a non-canonical integer encoding or an out-of-range value. */
export class DepositTxFieldError extends ProtocolError {
  override name = 'DepositTxFieldError'
}

/** A source-hash input (block hash, log index, sequence number) is not what the domain expects. */
export class SourceHashInputError extends ProtocolError {
  override name = 'SourceHashInputError'
}

/** A `TransactionDeposited` log with the wrong number of topics or the wrong event signature. */
export class DepositLogTopicsError extends ProtocolError {
  override name = 'DepositLogTopicsError'
}

/** A `TransactionDeposited` log whose version topic is not 0. */
export class DepositLogVersionError extends ProtocolError {
  override name = 'DepositLogVersionError'
}

/** The log data is not the minimal ABI encoding of one `bytes` value (offset, length, padding, size). */
export class DepositLogDataError extends ProtocolError {
  override name = 'DepositLogDataError'
}

/** The opaque deposit data is shorter than mint | value | gas | isCreation (73 bytes). */
export class OpaqueDepositDataError extends ProtocolError {
  override name = 'OpaqueDepositDataError'
}

/** Receipts given for one L1 block contradict themselves (a log's index or block hash). */
export class DepositReceiptsError extends ProtocolError {
  override name = 'DepositReceiptsError'
}

/** Address aliasing was given something that is not a 20-byte address. */
export class AliasAddressError extends ProtocolError {
  override name = 'AliasAddressError'
}
