import { ProtocolError } from '../errors.js'
import {
  decodeSingularBatchContent,
  encodeSingularBatchContent,
  SINGULAR_BATCH_TYPE,
  type SingularBatch,
} from './singular-batch.js'
import {
  decodeRawSpanBatchContent,
  encodeRawSpanBatchContent,
  type RawSpanBatch,
  SPAN_BATCH_TYPE,
} from './span-batch.js'

/** A batch as read from or written to a channel: `batch_type ++ content` (op-node `BatchData`). */
export type BatchData = { type: 'singular'; batch: SingularBatch } | { type: 'span'; batch: RawSpanBatch }

/** An empty batch (op-node "batch too short"). */
export class BatchTooShortError extends ProtocolError {
  override name = 'BatchTooShortError'
}

/** A batch type byte other than 0 (singular) and 1 (span). */
export class UnknownBatchTypeError extends ProtocolError {
  override name = 'UnknownBatchTypeError'
}

/** `batch_type ++ content`; in a channel this is wrapped as one RLP byte string. */
export function encodeBatch(data: BatchData): Uint8Array {
  const content =
    data.type === 'singular' ? encodeSingularBatchContent(data.batch) : encodeRawSpanBatchContent(data.batch)
  const out = new Uint8Array(content.length + 1)
  out[0] = data.type === 'singular' ? SINGULAR_BATCH_TYPE : SPAN_BATCH_TYPE
  out.set(content, 1)
  return out
}

/** op-node `BatchData.decodeTyped`: dispatch on the type byte and decode the content. */
export function decodeBatch(bytes: Uint8Array): BatchData {
  if (bytes.length === 0) throw new BatchTooShortError('batch too short', { length: 0 })
  const content = bytes.subarray(1)
  if (bytes[0] === SINGULAR_BATCH_TYPE) return { type: 'singular', batch: decodeSingularBatchContent(content) }
  if (bytes[0] === SPAN_BATCH_TYPE) return { type: 'span', batch: decodeRawSpanBatchContent(content) }
  throw new UnknownBatchTypeError(`unrecognized batch type ${bytes[0]}`, { type: bytes[0] })
}
