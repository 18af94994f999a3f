import { ProtocolError } from '../errors.js'

export class SpanBatchError extends ProtocolError {
  override name = 'SpanBatchError'
}

/** A count or size above MAX_SPAN_BATCH_ELEMENT_COUNT (op-node `ErrTooBigSpanBatchSize`). */
export class SpanBatchTooBigError extends SpanBatchError {
  override name = 'SpanBatchTooBigError'
}

/** block_count is zero (op-node `ErrEmptySpanBatch`). */
export class SpanBatchEmptyError extends SpanBatchError {
  override name = 'SpanBatchEmptyError'
}

/** The input ends inside a fixed-size field (checks, signatures, addresses, tx data). */
export class SpanBatchTruncatedError extends SpanBatchError {
  override name = 'SpanBatchTruncatedError'
}

/** A tx_datas entry whose RLP is not a list (op-node: "tx RLP prefix type must be list"). */
export class SpanBatchTxDataKindError extends SpanBatchError {
  override name = 'SpanBatchTxDataKindError'
}

/** A transaction type a span batch cannot carry, found while deriving (op-node "invalid tx type"). */
export class SpanBatchInvalidTxTypeError extends SpanBatchError {
  override name = 'SpanBatchInvalidTxTypeError'
}

/** A protected or typed transaction signed for another chain id. */
export class SpanBatchChainIdMismatchError extends SpanBatchError {
  override name = 'SpanBatchChainIdMismatchError'
}

/**
 * A signature the span format cannot carry faithfully: a legacy v that is neither 27/28 nor EIP-155, a typed
 * y-parity other than 0/1, or r/s wider than 256 bits. op-node would silently encode a different value.
 */
export class SpanBatchSignatureError extends SpanBatchError {
  override name = 'SpanBatchSignatureError'
}

/** Blocks that a span batch cannot represent (gaps in time, L1 origin going back or skipping, empty list). */
export class SpanBatchEncodeError extends SpanBatchError {
  override name = 'SpanBatchEncodeError'
}

/** No L1 origin given for an element's epoch number while converting to singular batches. */
export class SpanBatchMissingOriginError extends SpanBatchError {
  override name = 'SpanBatchMissingOriginError'
}
