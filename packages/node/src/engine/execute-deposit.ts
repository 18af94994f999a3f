import { Account, Address, bigIntToBytes, generateAddress, hexToBytes } from '@ethereumjs/util'
import type { BlockContext } from './block-context.js'
import { BlockBuildError, EngineError } from './errors.js'
import { intrinsicGas, MAX_INITCODE_SIZE } from './intrinsic-gas.js'
import { CANYON_DEPOSIT_RECEIPT_VERSION, type EngineReceipt, logsBloom } from './receipts.js'
import { DEPOSIT_TX_TYPE, type DepositTx } from './transactions.js'

/** Why a deposit failed before reaching the EVM; it is still included, as a failed receipt. */
export type DepositFailure =
  | 'system tx not supported'
  | 'intrinsic gas too low'
  | 'insufficient funds for transfer'
  | 'max initcode size exceeded'

/**
 * Executes a deposit with op-geth's rules (core/state_transition.go, specs protocol/deposits.md):
 * - `mint` is credited first and survives any failure;
 * - no nonce/fee/EOA checks, gas price 0, no refund in ETH, nothing paid to the coinbase or the fee vaults;
 * - a non-EVM failure (intrinsic gas, value above balance, oversized initcode, a system tx after Regolith) reverts to
 *   just after the mint, still bumps the nonce and reports the whole gas limit as used;
 * - Regolith: otherwise the real gas used (after refunds) is reported; the receipt carries `depositNonce` (nonce
 *   before execution) and, from Canyon, `depositReceiptVersion = 1`.
 * Returns the receipt and, for failures before the EVM, the reason.
 */
export async function executeDeposit(
  ctx: BlockContext,
  deposit: DepositTx,
): Promise<{ receipt: EngineReceipt; failure?: DepositFailure }> {
  const { vm, env } = ctx
  const state = vm.stateManager
  const journal = vm.evm.journal
  const from = new Address(hexToBytes(deposit.from))
  const to = deposit.to ? new Address(hexToBytes(deposit.to)) : undefined
  const data = hexToBytes(deposit.data)

  // A deposit that does not fit makes the whole block invalid (op-geth returns ErrGasLimitReached from
  // ApplyTransaction); a system tx never draws on the pool.
  if (!deposit.isSystemTx && deposit.gas > ctx.gasPool) {
    throw new BlockBuildError('gas limit reached', { gas: deposit.gas, available: ctx.gasPool })
  }

  await journal.cleanup()
  if (deposit.mint > 0n) {
    const account = (await state.getAccount(from)) ?? new Account()
    account.balance += deposit.mint
    await state.putAccount(from, account)
  }
  const depositNonce = (await state.getAccount(from))?.nonce ?? 0n

  await journal.checkpoint() // the snapshot a failed deposit returns to: after the mint
  let failure: DepositFailure | undefined
  let gasUsed = deposit.gas
  let status: 0 | 1 = 0
  let logs: EngineReceipt['logs'] = []
  try {
    if (deposit.isSystemTx) failure = 'system tx not supported'
    else {
      ctx.gasPool -= deposit.gas
      const intrinsic = intrinsicGas(data, to === undefined)
      const balance = (await state.getAccount(from))?.balance ?? 0n
      if (deposit.gas < intrinsic) failure = 'intrinsic gas too low'
      else if (balance < deposit.value) failure = 'insufficient funds for transfer'
      else if (to === undefined && data.length > MAX_INITCODE_SIZE) failure = 'max initcode size exceeded'
      else {
        // EIP-2929/3651 warm set, as runTx would prepare it
        for (const [precompile] of vm.evm.precompiles) journal.addAlwaysWarmAddress(precompile)
        journal.addAlwaysWarmAddress(from.toString())
        if (to) journal.addAlwaysWarmAddress(to.toString())
        journal.addAlwaysWarmAddress(env.header.coinbase.toString())

        // runCall bumps the caller's nonce outside its own checkpoint, so an EVM revert keeps the bump (as a tx does)
        const result = await vm.evm.runCall({
          block: env,
          gasPrice: 0n,
          caller: from,
          origin: from,
          ...(to ? { to } : {}),
          value: deposit.value,
          data,
          gasLimit: deposit.gas - intrinsic,
        })
        const exec = result.execResult
        const spent = intrinsic + exec.executionGasUsed
        const refundCap = spent / 5n // EIP-3529
        const refund = (exec.gasRefund ?? 0n) < refundCap ? (exec.gasRefund ?? 0n) : refundCap
        gasUsed = spent - refund
        for (const address of exec.selfdestruct?.keys() ?? []) {
          // EIP-6780: only contracts created in this same tx are deleted
          if (exec.createdAddresses?.has(address))
            await journal.deleteAccount(new Address(hexToBytes(address as `0x${string}`)))
        }
        status = exec.exceptionError ? 0 : 1
        logs = exec.logs ?? []
        ctx.gasPool += deposit.gas - gasUsed
      }
    }
    if (failure) {
      await journal.revert()
      const account = (await state.getAccount(from)) ?? new Account()
      account.nonce += 1n
      await state.putAccount(from, account)
      gasUsed = deposit.gas
    } else {
      await journal.cleanup() // EIP-161: drop touched empty accounts
      await journal.commit()
    }
  } catch (error) {
    await journal.revert()
    throw new EngineError(`deposit execution failed: ${(error as Error).message}`, { sourceHash: deposit.sourceHash })
  } finally {
    journal.cleanJournal()
    state.originalStorageCache.clear()
  }

  ctx.gasUsed += gasUsed
  const receipt: EngineReceipt = {
    type: DEPOSIT_TX_TYPE,
    status,
    cumulativeGasUsed: ctx.gasUsed,
    gasUsed,
    logs,
    logsBloom: logsBloom(logs),
    effectiveGasPrice: 0n,
    depositNonce,
    depositReceiptVersion: CANYON_DEPOSIT_RECEIPT_VERSION,
    // op-geth derives it from the deposit nonce, also for failed creations
    ...(to === undefined ? { contractAddress: generateAddress(from.bytes, bigIntToBytes(depositNonce)) } : {}),
  }
  return failure ? { receipt, failure } : { receipt }
}
