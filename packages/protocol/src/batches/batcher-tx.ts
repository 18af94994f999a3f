import { ProtocolError } from '../errors.js'
import { FRAME_OVERHEAD, type Frame, parseFrame, writeFrame } from './frame.js'

/** Batcher-tx data version: one or more concatenated frames. */
export const DERIVATION_VERSION_0 = 0x00
/** Batcher-tx data version: an alt-DA commitment (op-alt-da `TxDataVersion1`). */
export const DERIVATION_VERSION_1 = 0x01

export type BatcherTxData = { version: 0; frames: Frame[] } | { version: 1; commitment: Uint8Array }

export class BatcherTxError extends ProtocolError {
  override name = 'BatcherTxError'
}

/** The data is empty, or holds a version byte and nothing after it. */
export class BatcherTxEmptyError extends BatcherTxError {
  override name = 'BatcherTxEmptyError'
}

/** A version byte other than 0x00 and 0x01: derivation ignores the tx. */
export class BatcherTxUnknownVersionError extends BatcherTxError {
  override name = 'BatcherTxUnknownVersionError'
}

/**
 * Splits the data of a batcher transaction (calldata, a blob's payload or alt-DA input) by its version byte.
 * Version 1 hands back the raw commitment bytes after the version byte; the alt-DA codecs interpret them.
 */
export function parseBatcherTxData(data: Uint8Array): BatcherTxData {
  if (data.length === 0) throw new BatcherTxEmptyError('batcher tx data is empty', { length: 0 })
  const version = data[0]!
  if (version === DERIVATION_VERSION_0) return { version: 0, frames: parseFrames(data) }
  if (version === DERIVATION_VERSION_1) {
    if (data.length === 1) throw new BatcherTxEmptyError('alt-DA commitment is empty', { length: 1 })
    return { version: 1, commitment: data.slice(1) }
  }
  throw new BatcherTxUnknownVersionError(`unknown derivation version ${version}`, { version })
}

/**
 * op-node `ParseFrames`: `0x00 ++ frame ++ frame ...`, at least one frame, nothing left over. Any bad frame throws,
 * so all frames of the transaction are dropped together, as op-node does.
 */
export function parseFrames(data: Uint8Array): Frame[] {
  if (data.length === 0) throw new BatcherTxEmptyError('batcher tx data is empty', { length: 0 })
  if (data[0] !== DERIVATION_VERSION_0) {
    throw new BatcherTxUnknownVersionError(`invalid derivation format byte ${data[0]}`, { version: data[0] })
  }
  if (data.length === 1) throw new BatcherTxEmptyError('batcher tx holds no frames', { length: 1 })
  const frames: Frame[] = []
  for (let offset = 1; offset < data.length; ) {
    const { frame, next } = parseFrame(data, offset)
    frames.push(frame)
    offset = next
  }
  return frames
}

/** Builds version-0 batcher-tx data (op-batcher `CallData()`): `0x00 ++ frames`. */
export function encodeBatcherTxData(frames: readonly Frame[]): Uint8Array {
  if (frames.length === 0) throw new BatcherTxEmptyError('batcher tx needs at least one frame', { length: 0 })
  const size = frames.reduce((sum, frame) => sum + FRAME_OVERHEAD + frame.data.length, 1)
  const out = new Uint8Array(size)
  out[0] = DERIVATION_VERSION_0
  let offset = 1
  for (const frame of frames) offset = writeFrame(frame, out, offset)
  return out
}
