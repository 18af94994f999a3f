import { z } from 'zod'
import { resolveHeader } from '../context.js'
import { RpcError, RpcErrorCode } from '../errors.js'
import { executeCall, throwIfFailed } from '../execute-call.js'
import { quantity } from '../format.js'
import { type MethodTable, method } from '../method.js'
import { zBlockRef, zCallRequest, zStateOverride } from '../params.js'

/** eth_call and eth_estimateGas (geth's binary search between the used gas and the cap). */
export const callMethods: MethodTable = {
  eth_call: method(
    z.tuple([zCallRequest, zBlockRef.optional(), zStateOverride.optional()]),
    async ([request, ref, overrides], { ctx }) => {
      const header = await resolveHeader(ctx, ref ?? 'latest')
      const outcome = await executeCall(ctx.engine, header, request, {
        gasCap: ctx.limits.rpcGasCap,
        ...(overrides ? { overrides } : {}),
      })
      throwIfFailed(outcome)
      return outcome.returnData
    },
  ),
  eth_estimateGas: method(
    z.tuple([zCallRequest, zBlockRef.optional(), zStateOverride.optional()]),
    async ([request, ref, overrides], { ctx }) => {
      const header = await resolveHeader(ctx, ref ?? 'latest')
      const cap = request.gas ?? (header.gasLimit < ctx.limits.rpcGasCap ? header.gasLimit : ctx.limits.rpcGasCap)
      const run = (gasLimit: bigint) =>
        executeCall(ctx.engine, header, request, { gasCap: cap, gasLimit, ...(overrides ? { overrides } : {}) })
      const first = await run(cap)
      throwIfFailed(first)
      // geth's lower bound: what the call used (refunds included) minus one; most calls succeed right there
      let low = first.result.totalGasSpent - 1n
      let high = cap
      const optimistic = ((first.result.totalGasSpent + first.result.gasRefund + 2300n) * 64n) / 63n
      if (optimistic < high) {
        const outcome = await run(optimistic).catch(() => undefined)
        if (outcome && !outcome.reverted) high = optimistic
        else low = optimistic
      }
      // bounded: at most log2(cap) ≈ 26 iterations; geth stops at a 1.5% gap
      while (low + 1n < high) {
        if ((high - low) * 1000n < high * 15n) break
        const mid = (low + high) / 2n
        const outcome = await run(mid).catch((error: unknown) => {
          if (error instanceof RpcError && error.code === RpcErrorCode.server) return undefined
          throw error
        })
        if (outcome && !outcome.reverted) high = mid
        else low = mid
      }
      return quantity(high)
    },
  ),
}
