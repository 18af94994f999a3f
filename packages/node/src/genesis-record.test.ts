import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Address } from '@ethereumjs/util'
import { bytesToHex, hexToBytes } from 'viem'
import { afterEach, describe, expect, test } from 'vitest'
import { LevelNodeBackend } from './engine/db/level-backend.js'
import { Engine } from './engine/engine.js'
import type { GenesisSpec } from './engine/genesis.js'
import { edrPredeploys } from './engine/testing/edr-reference.js'
import { TEST_ADDRESSES } from './engine/testing/fixtures.js'
import {
  edrAlloc,
  fundedAccounts,
  TEST_CHAIN_ID,
  TEST_GAS_LIMIT,
  TEST_GENESIS_TIME,
} from './engine/testing/test-engine.js'
import { recordedGenesisRoot, recordGenesisRoot } from './genesis-record.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

const spec: GenesisSpec = {
  alloc: edrAlloc([...edrPredeploys('granite'), ...fundedAccounts()]),
  timestamp: TEST_GENESIS_TIME,
  gasLimit: TEST_GAS_LIMIT,
}

async function engineAt(dir: string, genesisStateRoot?: Uint8Array) {
  const backend = await LevelNodeBackend.open(dir)
  const engine = await Engine.create({ config: { chainId: TEST_CHAIN_ID }, genesis: spec, backend, genesisStateRoot })
  return { engine, backend }
}

describe('genesis state reuse on restart', () => {
  test('a recorded root skips the alloc: same genesis hash, same state; a changed spec or a missing node does not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opl-genesis-record-'))
    dirs.push(dir)
    expect(await recordedGenesisRoot(dir, spec)).toBeUndefined()
    const first = await engineAt(dir)
    await recordGenesisRoot(dir, spec, first.engine.genesis.stateRoot)
    const hash = bytesToHex(first.engine.genesis.hash())
    await first.backend.close()

    const root = await recordedGenesisRoot(dir, spec)
    expect(root && bytesToHex(root)).toBe(bytesToHex(first.engine.genesis.stateRoot))
    const again = await engineAt(dir, root)
    expect(bytesToHex(again.engine.genesis.hash())).toBe(hash)
    const funded = await again.engine.stateManager.getAccount(new Address(hexToBytes(TEST_ADDRESSES[0]!)))
    expect(funded?.balance).toBe(fundedAccounts()[0]!.balance)
    await again.backend.close()

    // another spec: no record applies; a root whose node is not in the DB: the alloc is applied as on a first start
    expect(await recordedGenesisRoot(dir, { ...spec, gasLimit: spec.gasLimit + 1n })).toBeUndefined()
    const fresh = await mkdtemp(join(tmpdir(), 'opl-genesis-record-'))
    dirs.push(fresh)
    const elsewhere = await engineAt(fresh, root)
    expect(bytesToHex(elsewhere.engine.genesis.hash())).toBe(hash)
    await elsewhere.backend.close()
    await writeFile(join(dir, 'genesis-state.json'), '{not json')
    expect(await recordedGenesisRoot(dir, spec)).toBeUndefined()
  })
})
