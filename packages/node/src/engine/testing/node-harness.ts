import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import type { NodeConfigInput } from '../../config.js'
import { OplNode } from '../../node.js'
import { InvalidTransactionError } from '../errors.js'
import type { GenesisAlloc } from '../genesis.js'
import { edrPredeploys } from './edr-reference.js'
import {
  attributesAfter,
  edrAlloc,
  fundedAccounts,
  l1InfoDeposit,
  TEST_CHAIN_ID,
  TEST_GAS_LIMIT,
  TEST_GENESIS_TIME,
} from './test-engine.js'

/** The test chain's genesis: EDR's OP predeploys and the funded TEST_ADDRESSES. */
export function testGenesis(extra: GenesisAlloc = {}) {
  return {
    chainId: TEST_CHAIN_ID,
    spec: {
      alloc: { ...edrAlloc([...edrPredeploys('granite'), ...fundedAccounts()]), ...extra },
      timestamp: TEST_GENESIS_TIME,
      gasLimit: TEST_GAS_LIMIT,
    },
  }
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'opl-node-'))
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

/** A node on a random port over `dataDir`, without fsync (tests), quiet logs. */
export async function startTestNode(dataDir: string, config: Partial<NodeConfigInput> = {}): Promise<OplNode> {
  return OplNode.start({
    config: { dataDir, genesis: 'unused', httpPort: 0, syncWrites: false, logLevel: 'silent', ...config },
    genesis: testGenesis(),
    log: pino({ level: 'silent' }),
  })
}

/**
 * Builds one block as the sequencer does (until it is wired into the node): the L1-info deposit, then pool txs in
 * TxSource order, sealed and committed through the store (BlockSink).
 */
export async function produceBlock(node: OplNode): Promise<bigint> {
  const engine = node.engine
  const attributes = attributesAfter(engine, [])
  const builder = await engine.startBlock(attributes)
  await builder.add(l1InfoDeposit(Number(engine.head.number) + 1))
  for (const tx of node.pool.pending({ gasLimit: builder.gasRemaining, baseFee: builder.baseFeePerGas })) {
    try {
      await builder.add(tx)
    } catch (error) {
      if (!(error instanceof InvalidTransactionError)) throw error
      node.pool.markRejected(tx, error.reason)
    }
  }
  const sealed = await builder.seal()
  await node.store.commitBlock(sealed)
  node.pool.markIncluded(sealed.transactions)
  await node.pool.onNewHead()
  return sealed.header.number
}
