/**
 * Every failure the server answers with carries its HTTP status, chosen as eigenda-proxy chooses it
 * (`common/proxyerrors`, `server/middleware/error.go`): 400 for what the client got wrong, 418 for a cert that does
 * not verify, 503 for "fail over to Ethereum DA", 500 for everything else.
 */
export class DaServerError extends Error {
  override name = 'DaServerError'
  readonly status: number
  readonly details: Record<string, unknown>

  constructor(status: number, message: string, details: Record<string, unknown> = {}) {
    super(message)
    this.status = status
    this.details = details
  }
}

/** A malformed request: bad route or hex, unknown commitment type, body too large, keccak mismatch. HTTP 400. */
export class BadRequestError extends DaServerError {
  override name = 'BadRequestError'
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(400, message, details)
  }
}

/** No data stored (or it expired) under the commitment. Status configurable: see README "Not found". */
export class BlobNotFoundError extends DaServerError {
  override name = 'BlobNotFoundError'
}

/** The stored data does not verify against the cert (length or hash). HTTP 418, as eigenda-proxy. */
export class CertVerificationError extends DaServerError {
  override name = 'CertVerificationError'
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(418, message, details)
  }
}

/** Injected or real unavailability: the batcher must fail over to calldata. HTTP 503. */
export class FailoverError extends DaServerError {
  override name = 'FailoverError'
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(503, message, details)
  }
}

/** A blob file on disk that cannot be read back as written (header, length). */
export class CorruptBlobError extends Error {
  override name = 'CorruptBlobError'
}
