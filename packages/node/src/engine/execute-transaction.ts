import { Capability, type FeeMarket1559Tx, type LegacyTx, type TypedTransaction } from '@ethereumjs/tx'
import { Account, Address, bytesToHex, equalsBytes, hexToBytes, KECCAK256_NULL } from '@ethereumjs/util'
import { type RunTxResult, runTx } from '@ethereumjs/vm'
import { getAddress } from 'viem'
import { BASE_FEE_VAULT, L1_FEE_VAULT } from './addresses.js'
import type { BlockContext } from './block-context.js'
import { EngineError, InvalidTransactionError, TxRejectReason } from './errors.js'
import { MAX_INITCODE_SIZE } from './intrinsic-gas.js'
import { l1FeeFunction, readL1FeeParams } from './l1-fee.js'
import type { EngineReceipt } from './receipts.js'

const MAX_NONCE = 2n ** 64n - 1n
const baseFeeVault = new Address(hexToBytes(BASE_FEE_VAULT))
const l1FeeVault = new Address(hexToBytes(L1_FEE_VAULT))

/**
 * Executes a signed tx with OP fee rules on top of ethereumjs' `runTx`:
 * - validation first, in op-geth's order and with geth's messages, so a rejected tx leaves no trace;
 * - the L1 data fee is charged up front with the gas (op-geth `buyGas`) and counts in the balance check;
 * - after execution the base fee goes to BaseFeeVault instead of being burned, the L1 fee to L1FeeVault; ethereumjs
 *   already paid the priority fee to the coinbase (SequencerFeeVault).
 */
export async function executeTransaction(
  ctx: BlockContext,
  tx: TypedTransaction,
  raw: Uint8Array,
): Promise<EngineReceipt> {
  const { vm, env } = ctx
  const state = vm.stateManager
  const header = env.header
  const baseFee = header.baseFeePerGas ?? 0n

  let sender: Address
  try {
    sender = tx.getSenderAddress()
  } catch (error) {
    throw new InvalidTransactionError(TxRejectReason.invalidSender, (error as Error).message)
  }
  // checksummed only for a rejection message: pure-JS keccak per tx was a measurable share of the block
  const who = () => getAddress(sender.toString())
  // the tx pool's check; inside a block geth reports the smaller pool as `gas limit reached` below
  if (tx.gasLimit > header.gasLimit) {
    throw new InvalidTransactionError(TxRejectReason.exceedsBlockGasLimit, '', {
      gas: tx.gasLimit,
      limit: header.gasLimit,
    })
  }

  const account = (await state.getAccount(sender)) ?? new Account()
  if (account.nonce < tx.nonce) {
    throw new InvalidTransactionError(
      TxRejectReason.nonceTooHigh,
      `address ${who()}, tx: ${tx.nonce} state: ${account.nonce}`,
    )
  }
  if (account.nonce > tx.nonce) {
    throw new InvalidTransactionError(
      TxRejectReason.nonceTooLow,
      `address ${who()}, tx: ${tx.nonce} state: ${account.nonce}`,
    )
  }
  if (account.nonce === MAX_NONCE) {
    throw new InvalidTransactionError(TxRejectReason.nonceMax, `address ${who()}, nonce: ${account.nonce}`)
  }
  if (!equalsBytes(account.codeHash, KECCAK256_NULL)) {
    throw new InvalidTransactionError(
      TxRejectReason.senderNotEoa,
      `address ${who()}, codehash: ${bytesToHex(account.codeHash)}`,
    )
  }

  const is1559 = tx.supports(Capability.EIP1559FeeMarket)
  const feeCap = is1559 ? (tx as FeeMarket1559Tx).maxFeePerGas : (tx as LegacyTx).gasPrice
  const tipCap = is1559 ? (tx as FeeMarket1559Tx).maxPriorityFeePerGas : (tx as LegacyTx).gasPrice
  if (feeCap < tipCap) {
    throw new InvalidTransactionError(
      TxRejectReason.tipAboveFeeCap,
      `address ${who()}, maxPriorityFeePerGas: ${tipCap}, maxFeePerGas: ${feeCap}`,
    )
  }
  if (feeCap < baseFee) {
    throw new InvalidTransactionError(
      TxRejectReason.feeCapTooLow,
      `address ${who()}, maxFeePerGas: ${feeCap}, baseFee: ${baseFee}`,
    )
  }

  ctx.l1Fee ??= l1FeeFunction(await readL1FeeParams(state))
  const l1 = ctx.l1Fee(raw)
  const want = tx.gasLimit * feeCap + tx.value + l1.l1Fee
  if (account.balance < want) {
    throw new InvalidTransactionError(
      TxRejectReason.insufficientFunds,
      `address ${who()} have ${account.balance} want ${want}`,
    )
  }
  if (tx.gasLimit > ctx.gasPool) {
    throw new InvalidTransactionError(TxRejectReason.gasLimitReached, '', { gas: tx.gasLimit, available: ctx.gasPool })
  }
  const intrinsic = tx.getIntrinsicGas()
  if (tx.gasLimit < intrinsic) {
    throw new InvalidTransactionError(TxRejectReason.intrinsicGas, `have ${tx.gasLimit}, want ${intrinsic}`)
  }
  if (tx.to === undefined && tx.data.length > MAX_INITCODE_SIZE) {
    throw new InvalidTransactionError(
      TxRejectReason.maxInitCodeSize,
      `code size ${tx.data.length} limit ${MAX_INITCODE_SIZE}`,
    )
  }

  await state.checkpoint()
  let result: RunTxResult
  try {
    if (l1.l1Fee > 0n) {
      account.balance -= l1.l1Fee
      await state.putAccount(sender, account)
    }
    result = await runTx(vm, {
      tx,
      block: env,
      blockGasUsed: ctx.gasUsed,
      skipHardForkValidation: true,
      skipBlockGasLimitValidation: true,
    })
    await state.commit()
  } catch (error) {
    await state.revert()
    // every rule runTx enforces was checked above: reaching this is an engine bug, not a user error
    throw new EngineError(`runTx rejected a validated tx: ${(error as Error).message}`, { hash: bytesToHex(tx.hash()) })
  }

  const gasUsed = result.totalGasSpent
  await credit(state, baseFeeVault, gasUsed * baseFee)
  await credit(state, l1FeeVault, l1.l1Fee)
  ctx.gasUsed += gasUsed
  ctx.gasPool -= gasUsed

  const effectiveGasPrice = is1559 ? (feeCap < baseFee + tipCap ? feeCap : baseFee + tipCap) : feeCap
  return {
    type: tx.type,
    status: result.execResult.exceptionError ? 0 : 1,
    cumulativeGasUsed: ctx.gasUsed,
    gasUsed,
    logs: result.execResult.logs ?? [],
    logsBloom: result.bloom.bitvector,
    effectiveGasPrice,
    ...(result.createdAddress ? { contractAddress: result.createdAddress.bytes } : {}),
    l1Fee: l1,
  }
}

/** Adds to a balance; a zero amount is skipped, as geth's touch of an empty account would be undone by EIP-161. */
async function credit(state: BlockContext['vm']['stateManager'], address: Address, amount: bigint): Promise<void> {
  if (amount === 0n) return
  const account = (await state.getAccount(address)) ?? new Account()
  account.balance += amount
  await state.putAccount(address, account)
}
