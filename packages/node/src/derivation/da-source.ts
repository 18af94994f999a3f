import {
  type AltDaCommitment,
  commitmentToHex,
  DEV_CERT_MAGIC,
  decodeDevCert,
  decodeEigenDaCommitment,
  EIGENDA_DA_LAYER,
  verifyDevCert,
  verifyKeccakCommitment,
} from '@opl/protocol'
import { DaDataMismatchError, DaNotFoundError, DaUnavailableError } from './errors.js'

/** Where alt-DA inputs come from (eigenda-proxy / our dev DA server over HTTP; recorded data in tests). */
export interface DaSource {
  /**
   * The input committed to. Throws `DaNotFoundError` (404), `DaUnavailableError` (anything else failing: retry), or
   * `DaDataMismatchError` when the server refuses the cert as invalid (eigenda-proxy 418).
   */
  get(commitment: AltDaCommitment): Promise<Uint8Array>
}

export type HttpDaSourceOptions = { url: string; timeoutMs?: number; fetch?: typeof fetch }

/** eigenda-proxy's status for a cert that failed verification: the data is never coming, drop the commitment. */
const CERT_INVALID = 418

/** `GET /get/0x<commitment>` as op-alt-da's client does it: 200 = raw input, 404 = not found, other = retry. */
export class HttpDaSource implements DaSource {
  private readonly base: string
  private readonly timeoutMs: number
  private readonly fetchFn: typeof fetch

  constructor(options: HttpDaSourceOptions) {
    this.base = options.url.replace(/\/+$/, '')
    this.timeoutMs = options.timeoutMs ?? 30_000
    this.fetchFn = options.fetch ?? fetch
  }

  async get(commitment: AltDaCommitment): Promise<Uint8Array> {
    const key = commitmentToHex(commitment)
    let response: Response
    try {
      response = await this.fetchFn(`${this.base}/get/${key}`, { signal: AbortSignal.timeout(this.timeoutMs) })
    } catch (cause) {
      throw new DaUnavailableError(`DA server unreachable: ${(cause as Error).message}`, { key }, { cause })
    }
    if (response.status === 200) return new Uint8Array(await response.arrayBuffer())
    const body = (await response.text().catch(() => '')).slice(0, 200)
    if (response.status === 404) throw new DaNotFoundError('DA server has no data for the commitment', { key, body })
    if (response.status === CERT_INVALID) throw new DaDataMismatchError(`DA cert rejected by the server: ${body}`)
    throw new DaUnavailableError(`DA server answered ${response.status}`, { key, status: response.status, body })
  }
}

/**
 * Checks that `data` is what the commitment commits to: keccak commitments are re-hashed (op-node's verify-on-read);
 * EigenDA generic commitments carrying our dev cert are checked against the cert's hash and length. Real EigenDA certs
 * need KZG verification that only the proxy does: they are trusted, as op-node trusts generic commitments.
 * Throws `DaDataMismatchError`.
 */
export function verifyDaData(commitment: AltDaCommitment, data: Uint8Array): void {
  try {
    if (commitment.type === 'keccak') {
      verifyKeccakCommitment(commitment, data)
    } else if (commitment.daLayer === EIGENDA_DA_LAYER) {
      const { cert } = decodeEigenDaCommitment(commitment)
      if (isDevCert(cert)) verifyDevCert(decodeDevCert(cert), data)
    }
  } catch (cause) {
    throw new DaDataMismatchError(`DA data does not match its commitment: ${(cause as Error).message}`, { cause })
  }
}

function isDevCert(cert: Uint8Array): boolean {
  return DEV_CERT_MAGIC.every((byte, i) => cert[i] === byte)
}
