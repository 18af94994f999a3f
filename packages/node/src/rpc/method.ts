import { z } from 'zod'
import type { Connection, RpcContext } from './context.js'
import { invalidParams } from './errors.js'

export type CallInfo = { ctx: RpcContext; connection?: Connection }
export type MethodHandler = (params: unknown[], call: CallInfo) => Promise<unknown>
export type MethodTable = Record<string, MethodHandler>

/** Declares a method: its params are checked against `schema` (a tuple) first, and a mismatch is -32602. */
export function method<T extends z.ZodType<unknown[]>>(
  schema: T,
  handler: (params: z.output<T>, call: CallInfo) => unknown,
): MethodHandler {
  return async (params, call) => {
    const parsed = schema.safeParse(params)
    if (!parsed.success) throw invalidParams(describe(parsed.error))
    return handler(parsed.data, call)
  }
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'invalid params'
  const where = issue.path.length ? `param ${issue.path.join('.')}: ` : ''
  return `invalid argument ${where}${issue.message}`
}

export const noParams = z.tuple([])
