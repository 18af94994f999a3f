import { bytesToHex } from 'viem'
import { describe, expect, test } from 'vitest'
import { TxRejectReason } from '../engine/errors.js'
import { eip1559Tx, legacyTx, TEST_ADDRESSES, TEST_KEYS } from '../engine/testing/fixtures.js'
import { createTestEngine } from '../engine/testing/test-engine.js'
import type { EngineTx } from '../engine/transactions.js'
import { TxPool } from './tx-pool.js'

const GWEI = 1_000_000_000n

describe('TxPool.pending', () => {
  test('per sender in nonce order, across senders by effective tip then arrival; skips what does not fit', async () => {
    const engine = await createTestEngine()
    const common = engine.common
    const baseFee = engine.head.baseFeePerGas!
    const to = TEST_ADDRESSES[3]!
    const transfer = (key: number, nonce: bigint, tip: bigint, gasLimit = 21_000n): EngineTx =>
      eip1559Tx(common, TEST_KEYS[key]!, {
        to,
        value: 1n,
        gasLimit,
        nonce,
        maxFeePerGas: baseFee + 10n * GWEI,
        maxPriorityFeePerGas: tip,
      })
    const txs = {
      // sender 0: a low tip first, then a high one: its second tx waits for its first
      a0: transfer(0, 0n, 1n * GWEI),
      a1: transfer(0, 1n, 9n * GWEI),
      // sender 1: the highest tip, a gap at nonce 2 (nonce 3 is queued)
      b0: transfer(1, 0n, 5n * GWEI),
      b1: transfer(1, 1n, 3n * GWEI),
      b3: transfer(1, 3n, 9n * GWEI),
      // sender 2: ties with b1 on tip but arrives later; its second tx asks for more gas than the limit
      c0: legacyTx(common, TEST_KEYS[2]!, {
        to,
        value: 1n,
        gasLimit: 21_000n,
        nonce: 0n,
        gasPrice: baseFee + 3n * GWEI,
      }),
      c1: transfer(2, 1n, 8n * GWEI, 200_000n),
      c2: transfer(2, 2n, 8n * GWEI),
    }
    const pool = new TxPool(engine)
    for (const tx of Object.values(txs)) await pool.add(tx.raw)
    const name = new Map(Object.entries(txs).map(([key, tx]) => [bytesToHex(tx.hash), key]))
    const order = (limits = { gasLimit: 100_000n, baseFee }) =>
      [...pool.pending(limits)].map((tx) => name.get(bytesToHex(tx.hash)))

    // c1 exceeds the gas left and is passed over; its sender's next nonce still comes (and fails in the builder)
    expect(order()).toEqual(['b0', 'b1', 'c0', 'c2', 'a0', 'a1'])
    // tips are effective tips at the block's base fee: 2 gwei more caps the 1559 tips at 8 and leaves c0 1 gwei
    expect(order({ gasLimit: 100_000n, baseFee: baseFee + 2n * GWEI })).toEqual(['b0', 'b1', 'a0', 'a1', 'c0', 'c2'])
    // a base fee above a fee cap drops the sender (and its later nonces) for the block
    expect(order({ gasLimit: 100_000n, baseFee: baseFee + 4n * GWEI })).toEqual(['b0', 'b1', 'a0', 'a1'])

    // a sender rejected while the block is built gets nothing more in that block
    const taken: string[] = []
    for (const tx of pool.pending({ gasLimit: 100_000n, baseFee })) {
      const key = name.get(bytesToHex(tx.hash))!
      taken.push(key)
      if (key === 'b0') pool.markRejected(tx, TxRejectReason.gasLimitReached)
    }
    expect(taken).toEqual(['b0', 'c0', 'c2', 'a0', 'a1'])
  })
})
