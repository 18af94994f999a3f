import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Address, hexToBytes } from '@ethereumjs/util'
import { afterEach, describe, expect, test } from 'vitest'
import { createEngineCommon } from '../common.js'
import { Engine } from '../engine.js'
import { createEngineState } from '../state.js'
import { eip1559Tx, TEST_ADDRESSES, TEST_KEYS } from '../testing/fixtures.js'
import { attributesAfter, edrAlloc, fundedAccounts, TEST_CHAIN_ID, TEST_GENESIS_TIME } from '../testing/test-engine.js'
import { LevelNodeBackend } from './level-backend.js'
import { NodeDB } from './node-db.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

describe('LevelDB node backend', () => {
  test('each block is one atomic batch and its state is readable after reopening', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opl-engine-'))
    dirs.push(dir)
    const backend = await LevelNodeBackend.open(dir)
    let batches = 0
    const write = backend.write.bind(backend)
    backend.write = async (writes) => {
      batches++
      await write(writes)
    }
    const engine = await Engine.create({
      config: { chainId: TEST_CHAIN_ID },
      genesis: { alloc: edrAlloc(fundedAccounts()), timestamp: TEST_GENESIS_TIME, gasLimit: 30_000_000n },
      backend,
    })
    const tx = eip1559Tx(engine.common, TEST_KEYS[0]!, {
      nonce: 0n,
      to: TEST_ADDRESSES[1]!,
      value: 123n,
      gasLimit: 21_000n,
      maxFeePerGas: 2n * 10n ** 9n,
      maxPriorityFeePerGas: 1n,
    })
    batches = 0
    const sealed = await engine.buildBlock(attributesAfter(engine, [tx]))
    expect(batches).toBe(1)
    await backend.close()

    const reopened = await LevelNodeBackend.open(dir)
    const state = createEngineState(createEngineCommon(TEST_CHAIN_ID), new NodeDB(reopened), sealed.header.stateRoot)
    const bob = await state.getAccount(new Address(hexToBytes(TEST_ADDRESSES[1]!)))
    expect(bob?.balance).toBe(10n ** 21n + 123n)
    // the genesis root is still there too (no pruning): historical state stays readable
    await state.setStateRoot(engine.genesis.stateRoot)
    expect((await state.getAccount(new Address(hexToBytes(TEST_ADDRESSES[1]!))))?.balance).toBe(10n ** 21n)
    await reopened.close()
  })
})
