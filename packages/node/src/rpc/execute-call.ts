import { type BlockHeader, createBlock } from '@ethereumjs/block'
import { createFeeMarket1559Tx, createLegacyTx, type TypedTransaction } from '@ethereumjs/tx'
import { Account, Address, bytesToHex, hexToBytes, setLengthLeft } from '@ethereumjs/util'
import { type RunTxResult, runTx, type VM } from '@ethereumjs/vm'
import type { Hex } from 'viem'
import type { Engine } from '../engine/engine.js'
import { RpcError, RpcErrorCode, revertError } from './errors.js'
import type { CallRequest, StateOverride } from './params.js'
import { revertReason } from './revert-reason.js'

export type CallOutcome = {
  result: RunTxResult
  returnData: Hex
  reverted: boolean
  error?: string
  gasLimit: bigint
}

/**
 * Runs a call as geth's DoCall does: on the state of `header` with that block's context, no nonce/balance checks on
 * `from`, base fee 0 when no fee is given (geth NoBaseFee), state overrides applied to a private copy of the state.
 */
export async function executeCall(
  engine: Engine,
  header: BlockHeader,
  request: CallRequest,
  options: { gasCap: bigint; overrides?: StateOverride; gasLimit?: bigint; beforeRun?: (vm: VM) => void },
): Promise<CallOutcome> {
  const vm = await engine.vmAt(header.stateRoot)
  if (options.overrides) await applyOverrides(vm.stateManager, options.overrides)
  const from = new Address(hexToBytes(request.from ?? '0x0000000000000000000000000000000000000000'))
  const gasLimit = options.gasLimit ?? min(request.gas ?? options.gasCap, options.gasCap)
  const priced = request.gasPrice !== undefined || request.maxFeePerGas !== undefined
  const common = engine.common
  const data = request.input ?? request.data ?? '0x'
  const base = {
    nonce: (await vm.stateManager.getAccount(from))?.nonce ?? 0n,
    gasLimit,
    value: request.value ?? 0n,
    data: hexToBytes(data),
    ...(request.to ? { to: hexToBytes(request.to) } : {}),
  }
  const tx: TypedTransaction =
    request.maxFeePerGas !== undefined || request.maxPriorityFeePerGas !== undefined
      ? createFeeMarket1559Tx(
          {
            ...base,
            chainId: common.chainId(),
            maxFeePerGas: request.maxFeePerGas ?? 0n,
            maxPriorityFeePerGas: request.maxPriorityFeePerGas ?? 0n,
            accessList: (request.accessList ?? []).map((item) => ({
              address: item.address,
              storageKeys: item.storageKeys,
            })),
          },
          { common, freeze: false },
        )
      : createLegacyTx({ ...base, gasPrice: request.gasPrice ?? 0n }, { common, freeze: false })
  // impersonation: an unsigned tx whose sender is whatever the caller claims, as eth_call allows
  tx.getSenderAddress = () => from
  const env = createBlock(
    {
      header: {
        number: header.number,
        timestamp: header.timestamp,
        gasLimit: gasLimit > header.gasLimit ? gasLimit : header.gasLimit,
        coinbase: header.coinbase,
        baseFeePerGas: priced ? (header.baseFeePerGas ?? 0n) : 0n,
        mixHash: header.mixHash,
        parentBeaconBlockRoot: header.parentBeaconBlockRoot ?? new Uint8Array(32),
        excessBlobGas: 0n,
        blobGasUsed: 0n,
      },
    },
    { common, skipConsensusFormatValidation: true },
  )
  options.beforeRun?.(vm)
  let result: RunTxResult
  try {
    result = await runTx(vm, {
      tx,
      block: env,
      skipBalance: true,
      skipNonce: true,
      skipHardForkValidation: true,
      skipBlockGasLimitValidation: true,
    })
  } catch (error) {
    // validation failures (intrinsic gas, fee below base fee, insufficient funds for value): geth's -32000
    throw new RpcError(RpcErrorCode.server, cleanMessage((error as Error).message))
  }
  const exec = result.execResult
  const returnData = bytesToHex(exec.returnValue) as Hex
  const error = exec.exceptionError?.error
  return { result, returnData, reverted: error !== undefined, gasLimit, ...(error ? { error } : {}) }
}

/** Throws the error eth_call / eth_estimateGas report for a failed execution: code 3 with data for reverts. */
export function throwIfFailed(outcome: CallOutcome): void {
  if (!outcome.reverted) return
  if (outcome.error === 'revert') throw revertError(outcome.returnData, revertReason(outcome.returnData))
  throw new RpcError(RpcErrorCode.server, outcome.error ?? 'execution failed')
}

async function applyOverrides(state: Awaited<ReturnType<Engine['vmAt']>>['stateManager'], overrides: StateOverride) {
  for (const [hex, o] of Object.entries(overrides)) {
    const address = new Address(hexToBytes(hex as Hex))
    const account = (await state.getAccount(address)) ?? new Account()
    if (o.balance !== undefined) account.balance = o.balance
    if (o.nonce !== undefined) account.nonce = o.nonce
    await state.putAccount(address, account)
    if (o.code !== undefined) await state.putCode(address, hexToBytes(o.code))
    if (o.state && o.stateDiff) throw new RpcError(RpcErrorCode.invalidParams, 'both state and stateDiff overrides')
    if (o.state) await state.clearStorage(address)
    for (const [slot, value] of Object.entries(o.state ?? o.stateDiff ?? {})) {
      await state.putStorage(address, setLengthLeft(hexToBytes(slot as Hex), 32), hexToBytes(value as Hex))
    }
  }
}

const min = (a: bigint, b: bigint) => (a < b ? a : b)

/** ethereumjs appends block/tx dumps in parentheses; geth's messages end before that. */
function cleanMessage(message: string): string {
  const text = message.split(' (')[0] ?? message
  if (/insufficient balance|sender doesn't have enough funds/i.test(text))
    return 'insufficient funds for gas * price + value'
  if (/gas limit is too low|intrinsic/i.test(text)) return 'intrinsic gas too low'
  return text
}
