import { type ByteArray, bytesToHex, type Hex, hexToBytes, keccak256 } from 'viem'
import type { GenericCommitment } from './commitment.js'
import { eigenDaCertVersions, eigenDaCommitment } from './eigenda.js'
import { DevCertError, DevCertMismatchError } from './errors.js'

/**
 * Our dev DA server's certificate: what it returns instead of a real EigenDA cert, carried under EigenDA cert version
 * 0x01 (V2) so the batcher and node take exactly the path they take with eigenda-proxy in V2 mode. It binds the data,
 * so a reader can check what the server handed back (unlike a real cert, which needs EigenDA's KZG verification).
 *
 *   offset  size  field
 *   0       4     magic "OPLD" (0x4f 0x50 0x4c 0x44); a real V2 cert is an RLP list and starts with a byte >= 0xc0,
 *                 so the two can never be confused
 *   4       1     dev cert format version, 0x00
 *   5       32    keccak256(data)
 *   37      8     data length in bytes, uint64 big-endian
 *   = 45 bytes
 *
 * On L1 the whole calldata is then `01 01 00 01 4f504c44 00 <keccak256(data)> <length>` (49 bytes). `data` is what
 * was stored: the batcher payload including its leading 0x00 derivation version byte.
 */
export const DEV_CERT_MAGIC = Uint8Array.of(0x4f, 0x50, 0x4c, 0x44)
export const DEV_CERT_FORMAT_VERSION = 0x00
export const DEV_CERT_LENGTH = 45
export const DEV_CERT_VERSION = eigenDaCertVersions.v2

export type DevCert = { dataHash: Hex; dataLength: number }

/** The certificate the dev DA server issues for `data`. */
export function devCertFor(data: ByteArray): DevCert {
  return { dataHash: keccak256(data), dataLength: data.length }
}

export function encodeDevCert({ dataHash, dataLength }: DevCert): Uint8Array {
  const hash = hexToBytes(dataHash)
  if (hash.length !== 32) throw new DevCertError('dataHash must be 32 bytes', { dataHash })
  if (!Number.isSafeInteger(dataLength) || dataLength < 0) throw new DevCertError('bad dataLength', { dataLength })
  const out = new Uint8Array(DEV_CERT_LENGTH)
  out.set(DEV_CERT_MAGIC, 0)
  out[4] = DEV_CERT_FORMAT_VERSION
  out.set(hash, 5)
  new DataView(out.buffer).setBigUint64(37, BigInt(dataLength))
  return out
}

export function decodeDevCert(cert: Uint8Array): DevCert {
  if (cert.length !== DEV_CERT_LENGTH) {
    throw new DevCertError(`dev cert must be ${DEV_CERT_LENGTH} bytes`, { length: cert.length })
  }
  if (!DEV_CERT_MAGIC.every((byte, i) => cert[i] === byte)) {
    throw new DevCertError('not a dev cert (magic)', { magic: bytesToHex(cert.subarray(0, 4)) })
  }
  if (cert[4] !== DEV_CERT_FORMAT_VERSION) throw new DevCertError('unknown dev cert format', { format: cert[4] })
  const dataLength = new DataView(cert.buffer, cert.byteOffset, cert.byteLength).getBigUint64(37)
  if (dataLength > BigInt(Number.MAX_SAFE_INTEGER)) throw new DevCertError('dataLength out of range', { dataLength })
  return { dataHash: bytesToHex(cert.subarray(5, 37)), dataLength: Number(dataLength) }
}

/** Throws `DevCertMismatchError` unless `data` is exactly what `cert` was issued for (length first: it is cheaper). */
export function verifyDevCert(cert: DevCert, data: ByteArray): void {
  if (data.length !== cert.dataLength) {
    throw new DevCertMismatchError('data length differs from the cert', {
      field: 'dataLength',
      expected: cert.dataLength,
      actual: data.length,
    })
  }
  const actual = keccak256(data)
  if (actual !== cert.dataHash.toLowerCase()) {
    throw new DevCertMismatchError('data hash differs from the cert', {
      field: 'dataHash',
      expected: cert.dataHash,
      actual,
    })
  }
}

/** The generic commitment for `data` under a dev cert: what the dev DA server answers to `POST /put`. */
export function devCertCommitment(data: ByteArray): GenericCommitment {
  return eigenDaCommitment({ certVersion: DEV_CERT_VERSION, cert: encodeDevCert(devCertFor(data)) })
}
