import { appendFileSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bytesToHex } from 'viem'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { eip1559Tx, legacyTx, TEST_ADDRESSES, TEST_KEYS } from '../engine/testing/fixtures.js'
import { attributesAfter, createTestEngine, l1InfoDeposit } from '../engine/testing/test-engine.js'
import { TxJournal } from './journal.js'
import { TxPool } from './tx-pool.js'

const GWEI = 1_000_000_000n

describe('tx journal (transactions.rlp)', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opl-journal-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  test('acknowledged txs survive a crash (no close), are re-validated on restore, and mined ones are dropped', async () => {
    const engine = await createTestEngine()
    const path = join(dir, 'transactions.rlp')
    const common = engine.common
    const txs = [
      legacyTx(common, TEST_KEYS[0]!, {
        to: TEST_ADDRESSES[3]!,
        value: 1n,
        gasLimit: 21_000n,
        nonce: 0n,
        gasPrice: 2n * GWEI,
      }),
      eip1559Tx(common, TEST_KEYS[1]!, {
        to: TEST_ADDRESSES[3]!,
        value: 2n,
        gasLimit: 21_000n,
        nonce: 0n,
        maxFeePerGas: 2n * GWEI,
        maxPriorityFeePerGas: GWEI,
      }),
      // a future nonce (queued) is journaled too
      eip1559Tx(common, TEST_KEYS[1]!, {
        to: TEST_ADDRESSES[3]!,
        value: 3n,
        gasLimit: 21_000n,
        nonce: 2n,
        maxFeePerGas: 2n * GWEI,
        maxPriorityFeePerGas: GWEI,
      }),
    ]
    const first = new TxPool(engine, undefined, undefined, new TxJournal(path))
    for (const tx of txs) await first.add(tx.raw)
    // geth's format: a legacy tx as its RLP list, a typed tx as an RLP string of its envelope
    expect(readFileSync(path)[0]).toBe(txs[0]!.raw[0])

    // "restart" without closing the first pool: what was acknowledged is in the file
    const second = new TxPool(engine, undefined, undefined, new TxJournal(path))
    expect(await second.restoreJournal()).toEqual({ restored: 3, dropped: 0, torn: false })
    expect(txs.every((tx) => second.get(bytesToHex(tx.hash)))).toBe(true)

    // the legacy tx gets mined; a torn record (crash mid-append) ends the stream without losing the others
    const builder = await engine.startBlock(attributesAfter(engine, []))
    await builder.add(l1InfoDeposit(1))
    await builder.add(txs[0]!)
    await engine.commit(await builder.seal())
    appendFileSync(path, Uint8Array.from([0xf8, 0x6b, 0x01]))
    const third = new TxPool(engine, undefined, undefined, new TxJournal(path))
    expect(await third.restoreJournal()).toEqual({ restored: 2, dropped: 1, torn: true })
    expect(third.get(bytesToHex(txs[0]!.hash))).toBeUndefined()
    expect(third.size).toBe(2)
    // the rotation rewrote the file with the survivors only
    expect(new TxJournal(path).load()).toEqual({ raws: [txs[1]!.raw, txs[2]!.raw], torn: false })
  })
})
