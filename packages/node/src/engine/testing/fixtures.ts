import type { Common } from '@ethereumjs/common'
import { createFeeMarket1559Tx, createLegacyTx } from '@ethereumjs/tx'
import { type Address, concatHex, type Hex, hexToBytes, numberToHex, padHex } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { type EngineTx, signedTx } from '../transactions.js'

/** Deterministic test keys (never funded anywhere real). */
export const TEST_KEYS: Hex[] = [1, 2, 3, 4].map((i) => padHex(numberToHex(0xa11ce000 + i), { size: 32 }))
export const TEST_ADDRESSES: Address[] = TEST_KEYS.map((key) => privateKeyToAddress(key))

/**
 * A 22-byte contract: calldata word 0 == 0 reverts; otherwise it stores the word in slot 0 and emits LOG1 with the
 * word as topic. Hand-assembled so tests need no compiler.
 */
export const LOGGER_RUNTIME: Hex = '0x60003580600b57600080fd5b8060005560006000a100'
export const LOGGER_INITCODE: Hex = concatHex(['0x601680600b6000396000f3', LOGGER_RUNTIME])

export type TxRequest = { to?: Address; value?: bigint; data?: Hex; gasLimit: bigint; nonce: bigint }

export function legacyTx(common: Common, key: Hex, request: TxRequest & { gasPrice: bigint }): EngineTx {
  return signedTx(
    createLegacyTx({ ...request, ...(request.data ? { data: hexToBytes(request.data) } : {}) }, { common }).sign(
      hexToBytes(key),
    ),
  )
}

export function eip1559Tx(
  common: Common,
  key: Hex,
  request: TxRequest & { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
): EngineTx {
  return signedTx(
    createFeeMarket1559Tx(
      { ...request, ...(request.data ? { data: hexToBytes(request.data) } : {}), chainId: common.chainId() },
      { common },
    ).sign(hexToBytes(key)),
  )
}

export function sourceHash(n: number): Hex {
  return padHex(numberToHex(0x5000 + n), { size: 32 })
}
