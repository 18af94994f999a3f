import { BatcherError } from '../errors.js'

/** The DA server could not take or serve the data; `status` is the HTTP status when there was one. */
export class DaClientError extends BatcherError {
  override name = 'DaClientError'
}

/** HTTP 503: eigenda-proxy's signal to fail over to Ethereum DA (calldata). */
export class DaUnavailableError extends DaClientError {
  override name = 'DaUnavailableError'
}

/** No answer within the put/get timeout: treated like 503 for puts (op-batcher fails over on timeouts too). */
export class DaTimeoutError extends DaClientError {
  override name = 'DaTimeoutError'
}

/** 4xx: the request itself is wrong (bad commitment, oversize body, 418 bad cert). Retrying will not help. */
export class DaRequestError extends DaClientError {
  override name = 'DaRequestError'
}

/** 404 (or the memstore's 500) on a get: the server has no data for the commitment. */
export class DaNotFoundError extends DaClientError {
  override name = 'DaNotFoundError'
}

/** Other failures: 5xx besides 503, connection refused or reset. Temporary: retry through DA, no failover. */
export class DaServerError extends DaClientError {
  override name = 'DaServerError'
}

/** Whether a put failure means "fail over to calldata" (503 or timeout), as the issue and op-batcher define it. */
export function isFailoverError(error: unknown): error is DaUnavailableError | DaTimeoutError {
  return error instanceof DaUnavailableError || error instanceof DaTimeoutError
}
