import { z } from 'zod'
import { RpcError, RpcErrorCode } from '../errors.js'
import type { CallInfo } from '../method.js'
import { type MethodTable, method, noParams } from '../method.js'
import { zHash } from '../params.js'

function sequencer({ ctx }: CallInfo) {
  if (!ctx.sequencer) throw new RpcError(RpcErrorCode.server, 'sequencer not running on this node')
  return ctx.sequencer
}

/** op-node's admin_* sequencer controls, forwarded to the sequencer when this node runs one. */
export const adminMethods: MethodTable = {
  admin_sequencerActive: method(noParams, (_params, call) => call.ctx.sequencer?.active() ?? false),
  admin_startSequencer: method(z.tuple([zHash]), async ([head], call) => {
    await sequencer(call).start(head)
    return null
  }),
  admin_stopSequencer: method(noParams, (_params, call) => sequencer(call).stop()),
}
