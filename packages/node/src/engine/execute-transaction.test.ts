import type { Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { InvalidTransactionError, TxRejectReason } from './errors.js'
import { eip1559Tx, legacyTx, TEST_ADDRESSES, TEST_KEYS } from './testing/fixtures.js'
import { attributesAfter, createTestEngine, l1InfoDeposit, TEST_FUNDS, TEST_GAS_LIMIT } from './testing/test-engine.js'

const [aliceKey] = TEST_KEYS as [Hex]
const bob = TEST_ADDRESSES[1]!

describe('signed txs that break a rule are rejected with geth messages and leave no trace', () => {
  const fee = { maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1n }
  const cases: [
    string,
    (common: Parameters<typeof eip1559Tx>[0]) => ReturnType<typeof eip1559Tx>,
    TxRejectReason,
    RegExp,
  ][] = [
    [
      'nonce too high',
      (c) => eip1559Tx(c, aliceKey, { nonce: 1n, to: bob, gasLimit: 21_000n, ...fee }),
      TxRejectReason.nonceTooHigh,
      /tx: 1 state: 0/,
    ],
    [
      'intrinsic gas too low',
      (c) => eip1559Tx(c, aliceKey, { nonce: 0n, to: bob, gasLimit: 20_000n, ...fee }),
      TxRejectReason.intrinsicGas,
      /have 20000, want 21000/,
    ],
    [
      'value + gas above balance',
      (c) => eip1559Tx(c, aliceKey, { nonce: 0n, to: bob, value: TEST_FUNDS, gasLimit: 21_000n, ...fee }),
      TxRejectReason.insufficientFunds,
      /have 1000000000000000000000 want/,
    ],
    [
      'gas above the block gas limit',
      (c) => eip1559Tx(c, aliceKey, { nonce: 0n, to: bob, gasLimit: TEST_GAS_LIMIT + 1n, ...fee }),
      TxRejectReason.exceedsBlockGasLimit,
      /^exceeds block gas limit$/,
    ],
    [
      'fee cap below base fee',
      (c) => legacyTx(c, aliceKey, { nonce: 0n, to: bob, gasLimit: 21_000n, gasPrice: 1n }),
      TxRejectReason.feeCapTooLow,
      /baseFee: /,
    ],
  ]
  for (const [name, make, reason, message] of cases) {
    test(name, async () => {
      const engine = await createTestEngine()
      const builder = await engine.startBlock(attributesAfter(engine, []))
      await builder.add(l1InfoDeposit(0))
      const rootBefore = await engine.stateManager.getStateRoot()
      const error = await builder.add(make(engine.common)).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InvalidTransactionError)
      expect((error as InvalidTransactionError).reason).toBe(reason)
      expect((error as Error).message).toMatch(message)
      expect(await engine.stateManager.getStateRoot()).toEqual(rootBefore)
      const sealed = await builder.seal()
      expect(sealed.transactions).toHaveLength(1)
    })
  }

  test('nonce too low, and the L1 fee counts in the balance check', async () => {
    const engine = await createTestEngine()
    const builder = await engine.startBlock(attributesAfter(engine, []))
    await builder.add(l1InfoDeposit(0))
    const ok = await builder.add(eip1559Tx(engine.common, aliceKey, { nonce: 0n, to: bob, gasLimit: 21_000n, ...fee }))
    expect(ok.l1Fee!.l1Fee).toBeGreaterThan(0n)
    await expect(
      builder.add(eip1559Tx(engine.common, aliceKey, { nonce: 0n, to: bob, gasLimit: 21_000n, ...fee })),
    ).rejects.toThrow(/^nonce too low: /)
    // value leaves exactly gas · feeCap: the L1 fee on top makes it unaffordable
    const balance = (await engine.stateManager.getAccount(
      (await import('@ethereumjs/util')).createAddressFromString(TEST_ADDRESSES[0]!),
    ))!.balance
    const value = balance - 21_000n * fee.maxFeePerGas
    await expect(
      builder.add(eip1559Tx(engine.common, aliceKey, { nonce: 1n, to: bob, value, gasLimit: 21_000n, ...fee })),
    ).rejects.toThrow(TxRejectReason.insufficientFunds)
  })
})
