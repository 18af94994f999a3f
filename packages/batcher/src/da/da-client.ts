import { commitmentToHex, decodeCommitment } from '@opl/protocol'
import { DaNotFoundError, DaRequestError, DaServerError, DaTimeoutError, DaUnavailableError } from './errors.js'

export type DaClientOptions = {
  url: string
  /** Abort a put after this long and report DaTimeoutError; 0 = no limit (op-batcher `altda.put-timeout`). */
  putTimeoutMs: number
  getTimeoutMs: number
}

/** What the batcher needs of a DA server: store a batcher payload, get back its commitment bytes. */
export interface DaClient {
  put(data: Uint8Array): Promise<Uint8Array>
  get(commitment: Uint8Array): Promise<Uint8Array>
}

/**
 * Client for the eigenda-proxy protocol (op-alt-da `DAClient` with `da-service` = true): `POST /put` with the raw
 * payload → raw commitment bytes; `GET /get/0x<commitment>` → raw data. Errors are typed by what the caller should do.
 */
export class EigenDaProxyClient implements DaClient {
  private readonly base: string

  constructor(private readonly options: DaClientOptions) {
    this.base = options.url.replace(/\/+$/, '')
  }

  async put(data: Uint8Array): Promise<Uint8Array> {
    const res = await this.request(`${this.base}/put`, this.options.putTimeoutMs, {
      method: 'POST',
      body: data,
      headers: { 'content-type': 'application/octet-stream' },
    })
    const body = new Uint8Array(await res.arrayBuffer())
    // A 200 that is not a commitment would put garbage on L1: refuse it here (throws a ProtocolError).
    decodeCommitment(body)
    return body
  }

  /** eigenda-proxy `GET /health`: resolves on 200 (readiness probe). */
  async health(timeoutMs = 2_000): Promise<void> {
    await this.request(`${this.base}/health`, timeoutMs, { method: 'GET' })
  }

  async get(commitment: Uint8Array): Promise<Uint8Array> {
    const key = commitmentToHex(decodeCommitment(commitment))
    const res = await this.request(`${this.base}/get/${key}`, this.options.getTimeoutMs, { method: 'GET' })
    return new Uint8Array(await res.arrayBuffer())
  }

  private async request(url: string, timeoutMs: number, init: RequestInit): Promise<Response> {
    let res: Response
    try {
      res = await fetch(url, { ...init, ...(timeoutMs > 0 ? { signal: AbortSignal.timeout(timeoutMs) } : {}) })
    } catch (error) {
      if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new DaTimeoutError(`DA request timed out after ${timeoutMs} ms`, { url, timeoutMs }, { cause: error })
      }
      throw new DaServerError(`DA request failed: ${(error as Error).message}`, { url }, { cause: error })
    }
    if (res.status === 200) return res
    const text = await res.text().catch(() => '')
    const details = { url, status: res.status, body: text.slice(0, 500) }
    if (res.status === 503) throw new DaUnavailableError('DA server unavailable (503): fail over', details)
    if (res.status === 404) throw new DaNotFoundError('DA server has no data for the commitment', details)
    if (res.status >= 400 && res.status < 500)
      throw new DaRequestError(`DA server refused the request (${res.status})`, details)
    throw new DaServerError(`DA server error (${res.status})`, details)
  }
}
