import { CorruptBlobError } from './errors.js'

/**
 * One stored blob on disk:
 *
 *   offset  size  field
 *   0       4     magic "OPLB"
 *   4       1     format version 0x01
 *   5       3     reserved, zero
 *   8       8     stored-at, unix ms, uint64 big-endian (expiry counts from here, as memstore's does from the put)
 *   16      n     the data, exactly as POSTed
 *
 * The stored-at time lives in the file, not in mtime, so copying a data dir keeps expiry meaning the same thing.
 */
export const BLOB_FILE_MAGIC = Uint8Array.of(0x4f, 0x50, 0x4c, 0x42)
export const BLOB_FILE_VERSION = 0x01
export const BLOB_FILE_HEADER = 16

export function encodeBlobHeader(storedAtMs: number): Uint8Array {
  const header = new Uint8Array(BLOB_FILE_HEADER)
  header.set(BLOB_FILE_MAGIC, 0)
  header[4] = BLOB_FILE_VERSION
  new DataView(header.buffer).setBigUint64(8, BigInt(storedAtMs))
  return header
}

export function decodeBlobHeader(header: Uint8Array, file: string): { storedAtMs: number } {
  if (header.length < BLOB_FILE_HEADER) throw new CorruptBlobError(`${file}: shorter than the blob header`)
  if (!BLOB_FILE_MAGIC.every((b, i) => header[i] === b)) throw new CorruptBlobError(`${file}: bad magic`)
  if (header[4] !== BLOB_FILE_VERSION) throw new CorruptBlobError(`${file}: unknown blob format ${header[4]}`)
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength)
  return { storedAtMs: Number(view.getBigUint64(8)) }
}
