import type { Common } from '@ethereumjs/common'
import { RLP } from '@ethereumjs/rlp'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import type { TypedTransaction } from '@ethereumjs/tx'
import { Account, Address, bytesToBigInt } from '@ethereumjs/util'
import type { Address as Hex20 } from 'viem'
import { checksumAddress } from '../engine/crypto.js'
import { InvalidTransactionError, TxRejectReason } from '../engine/errors.js'
import { MAX_INITCODE_SIZE } from '../engine/intrinsic-gas.js'
import type { L1FeeReceiptFields } from '../engine/l1-fee.js'
import { DEPOSIT_TX_TYPE, decodeSignedTx, type EngineTx, signedTxHash } from '../engine/transactions.js'
import { PoolRejectReason, TxPoolError } from './errors.js'
import { type FeeCaps, feeCaps } from './pricing.js'
import type { RecoveredSender } from './sender-recovery.js'

/** geth's txMaxSize: 4 slots of 32 KiB. */
export const MAX_TX_SIZE = 128 * 1024

export type PoolTx = {
  tx: EngineTx & { kind: 'signed' }
  sender: Hex20
  nonce: bigint
  caps: FeeCaps
  gasLimit: bigint
  cost: bigint
  /** arrival order: breaks fee ties as geth does (first seen first) */
  seq: number
}

/**
 * Stateless checks, in geth's order (core/txpool/validation.go `ValidateTransaction`): type, size, chain id,
 * signature, gas limit, fee caps, intrinsic gas. Throws InvalidTransactionError / TxPoolError with geth's messages.
 * `recovered`: the sender and hash a recovery worker got from these bytes with the same decoder (skips ecrecover).
 */
export function decodePoolTx(
  raw: Uint8Array,
  common: Common,
  limits: { blockGasLimit: bigint; minTip: bigint },
  recovered?: RecoveredSender,
): Omit<PoolTx, 'cost' | 'seq'> {
  const type = raw[0]
  if (type === undefined) throw new TxPoolError(PoolRejectReason.decode, 'empty')
  if (type === DEPOSIT_TX_TYPE || type === 3 || type === 4 || (type < 0x7f && type > 2)) {
    throw new InvalidTransactionError(TxRejectReason.txTypeNotSupported, '', { type })
  }
  if (raw.length > MAX_TX_SIZE) throw new TxPoolError(PoolRejectReason.oversized, '', { size: raw.length })
  const chainId = chainIdOf(raw)
  if (chainId === undefined) throw new TxPoolError(PoolRejectReason.unprotected)
  if (chainId !== common.chainId()) {
    throw new InvalidTransactionError(TxRejectReason.invalidSender, 'invalid chain id for signer', {
      have: chainId,
      want: common.chainId(),
    })
  }
  let tx: TypedTransaction
  try {
    tx = decodeSignedTx(raw, common, recovered?.sender)
  } catch (error) {
    throw new TxPoolError(PoolRejectReason.decode, (error as Error).message.split(' (')[0] ?? '')
  }
  let sender: Hex20
  try {
    sender = recovered?.checksummed ?? checksumAddress(tx.getSenderAddress().bytes)
  } catch (error) {
    throw new InvalidTransactionError(TxRejectReason.invalidSender, (error as Error).message.split(' (')[0] ?? '')
  }
  if (tx.gasLimit > limits.blockGasLimit) {
    throw new InvalidTransactionError(TxRejectReason.exceedsBlockGasLimit, '', { gas: tx.gasLimit })
  }
  const caps = feeCaps(tx)
  if (caps.feeCap < caps.tipCap) {
    throw new InvalidTransactionError(
      TxRejectReason.tipAboveFeeCap,
      `address ${sender}, maxPriorityFeePerGas: ${caps.tipCap}, maxFeePerGas: ${caps.feeCap}`,
    )
  }
  if (tx.to === undefined && tx.data.length > MAX_INITCODE_SIZE) {
    throw new InvalidTransactionError(
      TxRejectReason.maxInitCodeSize,
      `code size ${tx.data.length} limit ${MAX_INITCODE_SIZE}`,
    )
  }
  const intrinsic = tx.getIntrinsicGas()
  if (tx.gasLimit < intrinsic) {
    throw new InvalidTransactionError(TxRejectReason.intrinsicGas, `gas ${tx.gasLimit}, minimum needed ${intrinsic}`)
  }
  if (caps.tipCap < limits.minTip) {
    throw new TxPoolError(PoolRejectReason.underpriced, `gas tip cap ${caps.tipCap}, minimum needed ${limits.minTip}`)
  }
  return {
    tx: { kind: 'signed', tx, raw, hash: recovered?.hash ?? signedTxHash(raw) },
    sender,
    nonce: tx.nonce,
    caps,
    gasLimit: tx.gasLimit,
  }
}

/** Stateful checks against the head (`ValidateTransactionWithState`): nonce, and balance including the L1 data fee. */
export async function validateAgainstState(
  tx: Omit<PoolTx, 'cost' | 'seq'>,
  state: MerkleStateManager,
  l1Fee: (raw: Uint8Array) => L1FeeReceiptFields,
): Promise<{ cost: bigint; stateNonce: bigint; balance: bigint }> {
  const account = (await state.getAccount(new Address(Buffer.from(tx.sender.slice(2), 'hex')))) ?? new Account()
  if (tx.nonce < account.nonce) {
    throw new InvalidTransactionError(TxRejectReason.nonceTooLow, `next nonce ${account.nonce}, tx nonce ${tx.nonce}`)
  }
  const cost = tx.gasLimit * tx.caps.feeCap + tx.tx.tx.value + l1Fee(tx.tx.raw).l1Fee
  if (account.balance < cost) {
    throw new InvalidTransactionError(
      TxRejectReason.insufficientFunds,
      `balance ${account.balance}, tx cost ${cost}, overshot ${cost - account.balance}`,
    )
  }
  return { cost, stateNonce: account.nonce, balance: account.balance }
}

/** The chain id a raw tx commits to; undefined for a pre-EIP-155 legacy tx. */
function chainIdOf(raw: Uint8Array): bigint | undefined {
  try {
    if (raw[0]! >= 0xc0) {
      const fields = RLP.decode(raw) as Uint8Array[]
      if (fields.length !== 9) throw new Error(`legacy transaction with ${fields.length} fields`)
      const v = bytesToBigInt(fields[6] ?? new Uint8Array())
      return v >= 35n ? (v - 35n) / 2n : undefined
    }
    const fields = RLP.decode(raw.subarray(1)) as Uint8Array[]
    if (!Array.isArray(fields) || fields.length < 11) throw new Error(`typed transaction with ${fields.length} fields`)
    return bytesToBigInt(fields[0]!)
  } catch (error) {
    throw new TxPoolError(PoolRejectReason.decode, (error as Error).message)
  }
}
