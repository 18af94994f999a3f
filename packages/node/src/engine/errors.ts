/** Base of every error the engine throws; `details` carries the offending values for logs and RPC error data. */
export class EngineError extends Error {
  override name = 'EngineError'
  readonly details: Record<string, unknown>

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message)
    this.details = details
  }
}

/**
 * geth's consensus/txpool rejection reasons, verbatim (core/error.go, core/txpool/errors.go), so the RPC layer can
 * return them unchanged as -32000 errors.
 */
export const TxRejectReason = {
  nonceTooLow: 'nonce too low',
  nonceTooHigh: 'nonce too high',
  nonceMax: 'nonce has max value',
  senderNotEoa: 'sender not an eoa',
  tipAboveFeeCap: 'max priority fee per gas higher than max fee per gas',
  feeCapTooLow: 'max fee per gas less than block base fee',
  insufficientFunds: 'insufficient funds for gas * price + value',
  gasLimitReached: 'gas limit reached',
  exceedsBlockGasLimit: 'exceeds block gas limit',
  intrinsicGas: 'intrinsic gas too low',
  maxInitCodeSize: 'max initcode size exceeded',
  txTypeNotSupported: 'transaction type not supported',
  invalidSender: 'invalid sender',
  wrongChainId: 'invalid chain id for signer',
} as const
export type TxRejectReason = (typeof TxRejectReason)[keyof typeof TxRejectReason]

/** A transaction that cannot be included in the block being built; the block is unaffected. */
export class InvalidTransactionError extends EngineError {
  override name = 'InvalidTransactionError'
  readonly reason: TxRejectReason

  /** `message` follows geth: the reason, then `: address 0x…, tx: 5 state: 3` style context. */
  constructor(reason: TxRejectReason, context: string, details: Record<string, unknown> = {}) {
    super(context ? `${reason}: ${context}` : reason, { reason, ...details })
    this.reason = reason
  }
}

/** The block itself cannot be built (e.g. deposits exceed the gas limit): the payload attributes are invalid. */
export class BlockBuildError extends EngineError {
  override name = 'BlockBuildError'
}
