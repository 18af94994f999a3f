import type { Hex } from 'viem'
import { ProtocolError } from '../errors.js'
import { fromHex, toHex } from './hex.js'

/** channel_id (16) + frame_number (2) + frame_data_length (4) + is_last (1). */
export const FRAME_OVERHEAD = 23
/** op-node `MaxFrameLen`: a frame_data_length above this invalidates the frame. */
export const MAX_FRAME_DATA_LENGTH = 1_000_000
export const CHANNEL_ID_LENGTH = 16

export type Frame = {
  /** 16 opaque bytes naming the channel. */
  channelId: Hex
  /** uint16 position of the frame in its channel. */
  number: number
  data: Uint8Array
  isLast: boolean
}

export class FrameError extends ProtocolError {
  override name = 'FrameError'
}

/** The input ends inside the frame (op-node `io.ErrUnexpectedEOF`, or `io.EOF` when not a byte is there). */
export class FrameTruncatedError extends FrameError {
  override name = 'FrameTruncatedError'
}

/** frame_data_length above MAX_FRAME_DATA_LENGTH. */
export class FrameTooLargeError extends FrameError {
  override name = 'FrameTooLargeError'
}

/** is_last is neither 0 nor 1. */
export class FrameInvalidIsLastError extends FrameError {
  override name = 'FrameInvalidIsLastError'
}

/** A frame we were asked to encode breaks the format (bad channel id, number or size). */
export class FrameEncodeError extends FrameError {
  override name = 'FrameEncodeError'
}

/** Parses one frame at `offset`; returns it and the offset after it. `data` is a copy, not a view of `bytes`. */
export function parseFrame(bytes: Uint8Array, offset = 0): { frame: Frame; next: number } {
  const available = bytes.length - offset
  if (available < CHANNEL_ID_LENGTH + 2 + 4) {
    throw new FrameTruncatedError('input ends inside the frame header', { offset, available })
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset)
  const number = view.getUint16(CHANNEL_ID_LENGTH)
  const length = view.getUint32(CHANNEL_ID_LENGTH + 2)
  if (length > MAX_FRAME_DATA_LENGTH) throw new FrameTooLargeError('frame_data_length too large', { offset, length })
  const dataStart = offset + CHANNEL_ID_LENGTH + 6
  if (bytes.length - dataStart < length + 1) {
    throw new FrameTruncatedError('input ends inside frame_data or before is_last', { offset, length })
  }
  const isLastByte = bytes[dataStart + length]!
  if (isLastByte > 1) throw new FrameInvalidIsLastError('invalid byte as is_last', { offset, isLast: isLastByte })
  return {
    frame: {
      channelId: toHex(bytes.subarray(offset, offset + CHANNEL_ID_LENGTH)),
      number,
      data: bytes.slice(dataStart, dataStart + length),
      isLast: isLastByte === 1,
    },
    next: dataStart + length + 1,
  }
}

/** Encodes one frame: channel_id ++ frame_number ++ frame_data_length ++ frame_data ++ is_last. */
export function encodeFrame(frame: Frame): Uint8Array {
  const out = new Uint8Array(FRAME_OVERHEAD + frame.data.length)
  writeFrame(frame, out, 0)
  return out
}

/** Writes `frame` into `out` at `offset` and returns the offset after it. */
export function writeFrame(frame: Frame, out: Uint8Array, offset: number): number {
  const id = fromHex(frame.channelId)
  if (id.length !== CHANNEL_ID_LENGTH) {
    throw new FrameEncodeError('channel id must be 16 bytes', { channelId: frame.channelId })
  }
  if (!Number.isInteger(frame.number) || frame.number < 0 || frame.number > 0xffff) {
    throw new FrameEncodeError('frame number must be a uint16', { number: frame.number })
  }
  if (frame.data.length > MAX_FRAME_DATA_LENGTH) {
    throw new FrameEncodeError('frame data longer than MAX_FRAME_DATA_LENGTH', { length: frame.data.length })
  }
  out.set(id, offset)
  const view = new DataView(out.buffer, out.byteOffset + offset)
  view.setUint16(CHANNEL_ID_LENGTH, frame.number)
  view.setUint32(CHANNEL_ID_LENGTH + 2, frame.data.length)
  out.set(frame.data, offset + CHANNEL_ID_LENGTH + 6)
  out[offset + CHANNEL_ID_LENGTH + 6 + frame.data.length] = frame.isLast ? 1 : 0
  return offset + FRAME_OVERHEAD + frame.data.length
}
