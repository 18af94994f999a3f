import type { MethodTable } from '../method.js'
import { adminMethods } from './admin.js'
import { blockMethods } from './blocks.js'
import { callMethods } from './call.js'
import { chainMethods } from './chain.js'
import { debugMethods } from './debug.js'
import { logMethods } from './logs.js'
import { optimismMethods } from './optimism.js'
import { sendMethods } from './send.js'
import { stateMethods } from './state.js'
import { txpoolMethods } from './txpool.js'

/** Every JSON-RPC method the node serves. */
export const allMethods: MethodTable = {
  ...chainMethods,
  ...blockMethods,
  ...stateMethods,
  ...callMethods,
  ...sendMethods,
  ...logMethods,
  ...txpoolMethods,
  ...optimismMethods,
  ...adminMethods,
  ...debugMethods,
}
