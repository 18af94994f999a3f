import { z } from 'zod'
import { resolveBlockNumber, resolveHeader } from '../context.js'
import { RpcError, RpcErrorCode } from '../errors.js'
import { executeCall } from '../execute-call.js'
import { type MethodTable, method } from '../method.js'
import { zBlockRef, zBlockTag, zCallRequest, zHash } from '../params.js'
import { CallTracer, type CallTracerConfig } from '../tracing/call-tracer.js'
import { traceBlock } from '../tracing/replay-block.js'

const zTraceOptions = z
  .object({
    tracer: z.string().optional(),
    tracerConfig: z.object({ onlyTopCall: z.boolean().optional(), withLog: z.boolean().optional() }).optional(),
    timeout: z.string().optional(),
  })
  .optional()

/**
 * Only geth's `callTracer` is implemented. The default struct logger (no `tracer`) and the JS/other native tracers
 * get a clear error rather than a partial answer.
 */
function callTracerConfig(options: z.infer<typeof zTraceOptions>): CallTracerConfig {
  const tracer = options?.tracer
  if (tracer !== 'callTracer') {
    throw new RpcError(
      RpcErrorCode.invalidParams,
      `tracer not supported: ${tracer === undefined ? 'the default struct logger' : JSON.stringify(tracer)}; this node implements { "tracer": "callTracer" }`,
    )
  }
  return options?.tracerConfig ?? {}
}

async function blockOrThrow(ctx: Parameters<typeof resolveHeader>[0], number: bigint) {
  const block = await ctx.store.block(number)
  if (!block) throw new RpcError(RpcErrorCode.server, `block #${number} not found`)
  return block
}

/** debug_trace*: re-execution on the parent state with geth's callTracer output. */
export const debugMethods: MethodTable = {
  debug_traceTransaction: method(z.tuple([zHash, zTraceOptions]), async ([hash, options], { ctx }) => {
    const config = callTracerConfig(options)
    const location = await ctx.store.txLocation(hash)
    if (!location) throw new RpcError(RpcErrorCode.server, 'transaction not found')
    const block = await blockOrThrow(ctx, location.blockNumber)
    const [trace] = await traceBlock(ctx, block, config, (index) => index === location.index)
    return trace!.result
  }),
  debug_traceBlockByNumber: method(z.tuple([zBlockTag, zTraceOptions]), async ([tag, options], { ctx }) => {
    const config = callTracerConfig(options)
    const number = await resolveBlockNumber(ctx, tag)
    return traceBlock(ctx, await blockOrThrow(ctx, number), config)
  }),
  debug_traceBlockByHash: method(z.tuple([zHash, zTraceOptions]), async ([hash, options], { ctx }) => {
    const config = callTracerConfig(options)
    const number = await ctx.store.numberOf(hash)
    if (number === undefined) throw new RpcError(RpcErrorCode.server, `block ${hash} not found`)
    return traceBlock(ctx, await blockOrThrow(ctx, number), config)
  }),
  debug_traceCall: method(
    z.tuple([zCallRequest, zBlockRef.optional(), zTraceOptions]),
    async ([request, ref, options], { ctx }) => {
      const config = callTracerConfig(options)
      const header = await resolveHeader(ctx, ref ?? 'latest')
      let tracer: CallTracer | undefined
      const outcome = await executeCall(ctx.engine, header, request, {
        gasCap: ctx.limits.rpcGasCap,
        beforeRun: (vm) => {
          tracer = new CallTracer(vm, config).attach()
        },
      })
      tracer!.detach()
      return tracer!.result({
        from: (request.from ?? '0x0000000000000000000000000000000000000000').toLowerCase() as `0x${string}`,
        gas: outcome.gasLimit,
        gasUsed: outcome.result.totalGasSpent,
        value: request.value ?? 0n,
        input: request.input ?? request.data ?? '0x',
        ...(request.to ? { to: request.to.toLowerCase() as `0x${string}` } : {}),
      })
    },
  ),
}
