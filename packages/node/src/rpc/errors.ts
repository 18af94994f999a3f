import type { Hex } from 'viem'

/** JSON-RPC error codes as geth returns them (DESIGN.md "Standard JSON-RPC errors"). */
export const RpcErrorCode = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  server: -32000,
  /** geth: execution reverted, with the revert data */
  reverted: 3,
  /** request/batch over a size limit (geth uses -32600 for too-large batches) */
  limitExceeded: -32005,
} as const

/** An error that goes to the client as `{code, message, data?}`. Anything else becomes -32603 and is logged. */
export class RpcError extends Error {
  override name = 'RpcError'

  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
  }
}

export const invalidParams = (message: string) => new RpcError(RpcErrorCode.invalidParams, message)

/** geth's revert error: code 3, "execution reverted[: reason]", data = the raw revert bytes. */
export function revertError(data: Hex, reason?: string): RpcError {
  return new RpcError(RpcErrorCode.reverted, reason ? `execution reverted: ${reason}` : 'execution reverted', data)
}
