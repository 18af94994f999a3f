import {
  type AltDaCommitment,
  commitmentFromHex,
  DEV_CERT_VERSION,
  decodeDevCert,
  decodeEigenDaCommitment,
  EIGENDA_DA_LAYER,
  eigenDaCommitment,
  encodeCommitment,
  encodeDevCert,
  ProtocolError,
} from '@opl/protocol'
import type { Hex } from 'viem'
import type { DiskStore } from './disk-store.js'
import { BadRequestError, BlobNotFoundError, CertVerificationError, CorruptBlobError, FailoverError } from './errors.js'
import { keccak256Native } from './keccak.js'
import type { RuntimeConfig } from './memstore-config.js'

/** eigenda-proxy's `commitment_mode` query values; optimism_generic when absent. */
export type CommitmentMode = 'optimism_generic' | 'standard'

export type DaServiceStats = {
  puts: number
  gets: number
  /** Puts answered 503 by fault injection. */
  failoverPuts: number
  notFound: number
  certFailures: number
}

export type DaServiceOptions = {
  store: DiskStore
  runtime: RuntimeConfig
  notFoundStatus: 404 | 500
  sleep?: (ms: number) => Promise<void>
}

/**
 * The proxy's semantics without HTTP: what a put stores and returns, what a get finds and checks. Our cert is the
 * dev cert (`@opl/protocol` altda/dev-cert.ts) under EigenDA cert version 0x01, so the batcher and node take exactly
 * the V2 path they take against eigenda-proxy.
 */
export class DaService {
  readonly stats: DaServiceStats = { puts: 0, gets: 0, failoverPuts: 0, notFound: 0, certFailures: 0 }
  private readonly sleep: (ms: number) => Promise<void>

  constructor(private readonly options: DaServiceOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
  }

  get runtime(): RuntimeConfig {
    return this.options.runtime
  }

  /** `POST /put`: stores `data` and returns the commitment (optimism_generic: `01 00 01 <cert>`; standard: `01 <cert>`). */
  async put(data: Uint8Array, mode: CommitmentMode): Promise<Uint8Array> {
    await this.beforePut(data)
    // The same cert `devCertCommitment(data)` builds, from the hash the store already computed (hashing is the cost).
    const cert = encodeDevCert({ dataHash: await this.options.store.put(data), dataLength: data.length })
    this.stats.puts++
    if (mode === 'standard') return Uint8Array.of(DEV_CERT_VERSION, ...cert)
    return encodeCommitment(eigenDaCommitment({ certVersion: DEV_CERT_VERSION, cert }))
  }

  /** `POST /put/0x00<keccak>`: op keccak mode; the body must hash to the commitment. */
  async putKeccak(key: string, data: Uint8Array): Promise<void> {
    const commitment = parseKey(key)
    if (commitment.type !== 'keccak') {
      throw new BadRequestError('POST /put/<commitment> takes only keccak commitments (0x00 || keccak256)', { key })
    }
    const actual = keccak256Native(data)
    if (actual !== commitment.hash.toLowerCase()) {
      throw new BadRequestError('body does not hash to the keccak commitment', { expected: commitment.hash, actual })
    }
    await this.beforePut(data)
    await this.options.store.put(data)
    this.stats.puts++
  }

  /** `GET /get/<key>`: the stored data, checked against the commitment before it is served. */
  async get(key: string, mode: CommitmentMode): Promise<Uint8Array> {
    if (this.runtime.getLatencyMs > 0) await this.sleep(this.runtime.getLatencyMs)
    this.stats.gets++
    if (mode === 'standard') return this.getByCert(parseStandardKey(key), key)
    const commitment = parseKey(key)
    // The store re-hashes what it reads from disk against the name it was looked up by: keccak commitments are
    // verified by finding the data at all.
    if (commitment.type === 'keccak') return this.find(commitment.hash, key)
    if (commitment.daLayer !== EIGENDA_DA_LAYER) {
      throw new BadRequestError('generic commitment is not for EigenDA (da_layer 0x00)', {
        daLayer: commitment.daLayer,
      })
    }
    const { certVersion, cert } = wrap(() => decodeEigenDaCommitment(commitment))
    if (certVersion !== DEV_CERT_VERSION) {
      throw new BadRequestError('this server issues only cert version 0x01 (dev cert)', { certVersion })
    }
    return this.getByCert(cert, key)
  }

  private async getByCert(certBytes: Uint8Array, key: string): Promise<Uint8Array> {
    const cert = wrap(() => decodeDevCert(certBytes))
    // `verifyDevCert` in two halves: the hash is checked by the store (found under cert.dataHash, re-hashed when read
    // from disk), the length here.
    const data = await this.find(cert.dataHash, key)
    if (data.length !== cert.dataLength) {
      this.stats.certFailures++
      throw new CertVerificationError('cert verification failed: data length differs from the cert', {
        key,
        field: 'dataLength',
        expected: cert.dataLength,
        actual: data.length,
      })
    }
    return data
  }

  private async find(hash: Hex, key: string): Promise<Uint8Array> {
    let blob: Awaited<ReturnType<DiskStore['get']>>
    try {
      blob = await this.options.store.get(hash)
    } catch (error) {
      if (!(error instanceof CorruptBlobError)) throw error
      this.stats.certFailures++
      throw new CertVerificationError(`cert verification failed: ${error.message}`, { key, field: 'dataHash' })
    }
    if (blob) return blob.data
    this.stats.notFound++
    throw new BlobNotFoundError(
      this.options.notFoundStatus,
      'no data stored for the commitment (never put, or expired)',
      {
        key,
      },
    )
  }

  private async beforePut(data: Uint8Array): Promise<void> {
    const { maxBlobSizeBytes, putLatencyMs, putReturnsFailoverError } = this.runtime
    if (data.length > maxBlobSizeBytes) {
      throw new BadRequestError('body larger than the max blob size', { size: data.length, limit: maxBlobSizeBytes })
    }
    if (putLatencyMs > 0) await this.sleep(putLatencyMs)
    if (putReturnsFailoverError) {
      this.stats.failoverPuts++
      throw new FailoverError('put refused: failover error injected (PutReturnsFailoverError)')
    }
  }
}

function parseKey(key: string): AltDaCommitment {
  return wrap(() => commitmentFromHex(key))
}

/** standard mode (`?commitment_mode=standard`): `<cert version><cert>` with no op prefix. */
function parseStandardKey(key: string): Uint8Array {
  const digits = key.replace(/^0x/i, '')
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(digits)) throw new BadRequestError('commitment is not even-length hex', { key })
  const bytes = Buffer.from(digits, 'hex')
  if (bytes[0] !== DEV_CERT_VERSION) {
    throw new BadRequestError('this server issues only cert version 0x01 (dev cert)', { certVersion: bytes[0] })
  }
  return new Uint8Array(bytes.subarray(1))
}

/** Protocol decode failures are the client's fault: 400 with the codec's own message and details. */
function wrap<T>(fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof ProtocolError)
      throw new BadRequestError(error.message, { ...error.details, reason: error.name })
    throw error
  }
}
