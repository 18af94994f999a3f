import { Account, Address, hexToBytes } from '@ethereumjs/util'
import type { Address as Hex20 } from 'viem'
import { describe, expect, test } from 'vitest'
import { BlockBuildError } from './errors.js'
import { LOGGER_INITCODE, sourceHash, TEST_ADDRESSES } from './testing/fixtures.js'
import { attributesAfter, createTestEngine, TEST_FUNDS, TEST_GAS_LIMIT } from './testing/test-engine.js'
import { type DepositTx, depositTx } from './transactions.js'

const [alice, bob] = TEST_ADDRESSES as [Hex20, Hex20]
const fresh: Hex20 = '0x00000000000000000000000000000000000f4e54'

function deposit(overrides: Partial<DepositTx>): DepositTx {
  return {
    sourceHash: sourceHash(1),
    from: fresh,
    to: bob,
    mint: 0n,
    value: 0n,
    gas: 100_000n,
    isSystemTx: false,
    data: '0x',
    ...overrides,
  }
}

async function account(engine: Awaited<ReturnType<typeof createTestEngine>>, address: Hex20): Promise<Account> {
  return (await engine.stateManager.getAccount(new Address(hexToBytes(address)))) ?? new Account()
}

describe('deposit failures before the EVM (op-geth: revert to after mint, nonce + 1, all gas used)', () => {
  const cases: [string, Partial<DepositTx>, string][] = [
    ['value above balance after mint', { mint: 5n, value: 6n }, 'insufficient funds for transfer'],
    ['gas below intrinsic gas', { mint: 5n, gas: 20_999n }, 'intrinsic gas too low'],
    [
      'creation gas below intrinsic gas (53,000 + calldata + initcode words)',
      { mint: 5n, to: null, data: LOGGER_INITCODE, gas: 53_000n },
      'intrinsic gas too low',
    ],
    ['system tx after Regolith', { mint: 5n, isSystemTx: true }, 'system tx not supported'],
  ]
  for (const [name, overrides, failure] of cases) {
    test(name, async () => {
      const engine = await createTestEngine()
      const tx = depositTx(deposit(overrides))
      const sealed = await engine.buildBlock(attributesAfter(engine, [tx]))
      const receipt = sealed.receipts[0]!
      expect(sealed.depositFailures.get(0)).toBe(failure)
      expect(receipt).toMatchObject({
        status: 0,
        gasUsed: tx.kind === 'deposit' ? tx.deposit.gas : 0n,
        logs: [],
        depositNonce: 0n,
        depositReceiptVersion: 1n,
      })
      expect(sealed.header.gasUsed).toBe(receipt.gasUsed)
      const from = await account(engine, fresh)
      expect({ balance: from.balance, nonce: from.nonce }).toEqual({ balance: 5n, nonce: 1n })
      expect((await account(engine, bob)).balance).toBe(TEST_FUNDS)
    })
  }

  test('an EVM revert keeps the mint and the nonce bump and reports only the gas used (Regolith)', async () => {
    const engine = await createTestEngine()
    const create = depositTx(deposit({ from: alice, to: null, data: LOGGER_INITCODE, gas: 200_000n }))
    const sealed1 = await engine.buildBlock(attributesAfter(engine, [create]))
    const logger = sealed1.receipts[0]!.contractAddress!
    const revert = depositTx(
      deposit({
        sourceHash: sourceHash(2),
        mint: 9n,
        to: new Address(logger).toString() as Hex20,
        data: `0x${'00'.repeat(32)}`,
      }),
    )
    const sealed2 = await engine.buildBlock(attributesAfter(engine, [revert]))
    expect(sealed2.depositFailures.size).toBe(0)
    expect(sealed2.receipts[0]).toMatchObject({ status: 0, depositNonce: 0n })
    expect(sealed2.receipts[0]!.gasUsed).toBeLessThan(100_000n)
    expect(sealed2.receipts[0]!.gasUsed).toBeGreaterThan(21_000n)
    const from = await account(engine, fresh)
    expect({ balance: from.balance, nonce: from.nonce }).toEqual({ balance: 9n, nonce: 1n })
  })

  test('a deposit above the remaining block gas makes the block unbuildable', async () => {
    const engine = await createTestEngine()
    const head = engine.head
    await expect(
      engine.buildBlock(attributesAfter(engine, [depositTx(deposit({ gas: TEST_GAS_LIMIT + 1n }))])),
    ).rejects.toThrow(BlockBuildError)
    expect(engine.head).toBe(head)
    expect(await engine.stateManager.getStateRoot()).toEqual(head.stateRoot)
  })
})
