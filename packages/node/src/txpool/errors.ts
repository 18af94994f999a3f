import { EngineError } from '../engine/errors.js'

/** geth's tx pool messages (core/txpool/errors.go, legacypool), verbatim: clients match on them. */
export const PoolRejectReason = {
  alreadyKnown: 'already known',
  replacementUnderpriced: 'replacement transaction underpriced',
  underpriced: 'transaction underpriced',
  txPoolFull: 'txpool is full',
  accountLimit: 'account limit exceeded',
  oversized: 'oversized data',
  unprotected: 'only replay-protected (EIP-155) transactions allowed over RPC',
  negativeValue: 'negative value',
  decode: 'invalid transaction encoding',
} as const
export type PoolRejectReason = (typeof PoolRejectReason)[keyof typeof PoolRejectReason]

/** A tx the pool refuses; `message` is what eth_sendRawTransaction returns as a -32000 error. */
export class TxPoolError extends EngineError {
  override name = 'TxPoolError'
  readonly reason: string

  constructor(reason: string, context = '', details: Record<string, unknown> = {}) {
    super(context ? `${reason}: ${context}` : reason, { reason, ...details })
    this.reason = reason
  }
}
