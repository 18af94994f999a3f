/** An RLP value to write: a byte string, or a list of values. */
export type RlpInput = Uint8Array | readonly RlpInput[]

/**
 * Canonical RLP encoding in two passes (sizes, then one buffer). viem's `toRlp` gives the same bytes but builds a
 * closure per item, which dominated the span-batch codec's profile.
 */
export function encodeRlp(value: RlpInput): Uint8Array {
  const out = new Uint8Array(encodedLength(value))
  write(value, out, 0)
  return out
}

function payloadLength(value: RlpInput): number {
  if (value instanceof Uint8Array) return value.length
  let sum = 0
  for (const item of value) sum += encodedLength(item)
  return sum
}

function encodedLength(value: RlpInput): number {
  if (value instanceof Uint8Array && value.length === 1 && value[0]! < 0x80) return 1
  const length = payloadLength(value)
  return length + headerLength(length)
}

function headerLength(length: number): number {
  return length < 56 ? 1 : 1 + byteCount(length)
}

function byteCount(n: number): number {
  let count = 0
  for (; n > 0; n = Math.floor(n / 256)) count++
  return count
}

function write(value: RlpInput, out: Uint8Array, offset: number): number {
  if (value instanceof Uint8Array) {
    if (value.length === 1 && value[0]! < 0x80) {
      out[offset] = value[0]!
      return offset + 1
    }
    offset = writeHeader(out, offset, value.length, 0x80)
    out.set(value, offset)
    return offset + value.length
  }
  offset = writeHeader(out, offset, payloadLength(value), 0xc0)
  for (const item of value) offset = write(item, out, offset)
  return offset
}

function writeHeader(out: Uint8Array, offset: number, length: number, base: number): number {
  if (length < 56) {
    out[offset] = base + length
    return offset + 1
  }
  const count = byteCount(length)
  out[offset] = base + 55 + count
  for (let i = count, n = length; i > 0; i--, n = Math.floor(n / 256)) out[offset + i] = n % 256
  return offset + 1 + count
}
