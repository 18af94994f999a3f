import type { Logger } from 'pino'
import type { Connection, RpcContext } from './context.js'
import { RpcError, RpcErrorCode } from './errors.js'
import type { MethodTable } from './method.js'

type Id = string | number | null
export type JsonRpcResponse =
  | { jsonrpc: '2.0'; id: Id; result: unknown }
  | { jsonrpc: '2.0'; id: Id; error: { code: number; message: string; data?: unknown } }

export type DispatchOptions = {
  batchLimit: number
  /** called after each call with its method and duration, for metrics */
  observe?: (method: string, seconds: number, ok: boolean) => void
  /** called with a batch's requests before they are handled; returns what to run once the batch is done */
  beforeBatch?: (requests: readonly unknown[]) => () => void
}

const errorResponse = (id: Id, code: number, message: string, data?: unknown): JsonRpcResponse => ({
  jsonrpc: '2.0',
  id,
  error: data === undefined ? { code, message } : { code, message, data },
})

/**
 * JSON-RPC 2.0 envelope handling shared by HTTP and WebSocket: parse, single or batch, notifications (no id, no
 * reply), per-call errors that never take the connection or the server down.
 */
export class Dispatcher {
  constructor(
    private readonly methods: MethodTable,
    private readonly ctx: RpcContext,
    private readonly log: Logger,
    private readonly options: DispatchOptions,
  ) {}

  /** Handles one raw message; returns the reply body, or undefined when nothing must be sent (notifications). */
  async handleText(text: string, connection?: Connection): Promise<unknown> {
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return errorResponse(null, RpcErrorCode.parse, 'parse error')
    }
    if (Array.isArray(body)) {
      if (body.length === 0) return errorResponse(null, RpcErrorCode.invalidRequest, 'empty batch')
      if (body.length > this.options.batchLimit) {
        return errorResponse(null, RpcErrorCode.invalidRequest, `batch too large (limit ${this.options.batchLimit})`)
      }
      const replies = []
      const done = this.options.beforeBatch?.(body)
      try {
        // sequential: keeps one client's batch from monopolising the event loop, and preserves nonce order for sends
        for (const item of body) {
          const reply = await this.handleOne(item, connection)
          if (reply) replies.push(reply)
        }
      } finally {
        done?.()
      }
      return replies.length ? replies : undefined
    }
    return this.handleOne(body, connection)
  }

  async handleOne(request: unknown, connection?: Connection): Promise<JsonRpcResponse | undefined> {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return errorResponse(null, RpcErrorCode.invalidRequest, 'invalid request')
    }
    const { jsonrpc, method, params, id } = request as Record<string, unknown>
    const validId = id === undefined || id === null || typeof id === 'string' || typeof id === 'number'
    const replyId: Id = validId ? ((id as Id | undefined) ?? null) : null
    if (jsonrpc !== '2.0' || typeof method !== 'string' || !validId) {
      return errorResponse(replyId, RpcErrorCode.invalidRequest, 'invalid request')
    }
    if (params !== undefined && !Array.isArray(params)) {
      return errorResponse(replyId, RpcErrorCode.invalidParams, 'invalid params: expected an array')
    }
    const notification = !('id' in (request as object))
    const handler = Object.hasOwn(this.methods, method) ? this.methods[method] : undefined
    if (!handler) {
      return notification
        ? undefined
        : errorResponse(replyId, RpcErrorCode.methodNotFound, `the method ${method} does not exist/is not available`)
    }
    const started = process.hrtime.bigint()
    try {
      const result = await handler((params as unknown[] | undefined) ?? [], {
        ctx: this.ctx,
        ...(connection ? { connection } : {}),
      })
      this.observe(method, started, true)
      return notification ? undefined : { jsonrpc: '2.0', id: replyId, result: result ?? null }
    } catch (error) {
      this.observe(method, started, false)
      if (error instanceof RpcError) return errorResponse(replyId, error.code, error.message, error.data)
      this.log.error({ err: error, method }, 'rpc method failed')
      return errorResponse(replyId, RpcErrorCode.internal, 'internal error')
    }
  }

  private observe(method: string, started: bigint, ok: boolean): void {
    this.options.observe?.(method, Number(process.hrtime.bigint() - started) / 1e9, ok)
  }
}
