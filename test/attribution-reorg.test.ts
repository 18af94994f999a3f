/**
 * RegistryContributionSource across a reorg deeper than its confirmation depth, on anvil: contributions ingested
 * from a branch that `evm_revert` then drops, a new branch with other contributions (one at the very block and log
 * index of a dropped approval), and the source resetting to the newest scan position the chain still holds — as
 * op-node resets its pipeline — instead of failing every poll with DeepReorgError.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  toBytes,
  toHex,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { anvil as anvilChain } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readJsonFile } from '../packages/attribution-engine/src/chain/json-file.js'
import { RegistryContributionSource } from '../packages/attribution-engine/src/chain/registry-contribution-source.js'
import { AttributionEngine } from '../packages/attribution-engine/src/index.js'
import { seededRandom } from '../packages/attribution-engine/src/planted/random.js'
import { devAccount } from '../packages/devnet/src/accounts.js'
import { type Anvil, startAnvil } from '../packages/devnet/src/anvil.js'
import { freePort } from '../packages/devnet/src/ports.js'

const root = join(import.meta.dirname, '..')
const artifact = (path: string): { abi: Abi; bytecode: Hex } =>
  JSON.parse(readFileSync(join(root, 'artifacts/contracts', path), 'utf8'))
const CONFIRMATIONS = 1

let anvil: Anvil
let dir: string
let client: PublicClient
let registry: Address
const owner = devAccount(0)
const contributors = [devAccount(1), devAccount(2), devAccount(3), devAccount(4)]
const registryAbi = artifact('datanets/DatanetRegistry.sol/DatanetRegistry.json').abi

const rpc = (method: string, params: unknown[] = []) => client.request({ method, params } as never) as Promise<unknown>
const mine = (blocks: number) => rpc('anvil_mine', [toHex(blocks)])
const wallet = (key: Hex) =>
  createWalletClient({ account: privateKeyToAccount(key), chain: anvilChain, transport: http(anvil.rpc) })

/** One file-backed contribution to the Open Datanet (accepted on submission: submit and approval in one tx). */
async function contribute(from: (typeof contributors)[number], text: string): Promise<Hex> {
  const file = join(dir, `${keccak256(toBytes(text)).slice(2, 10)}.txt`)
  writeFileSync(file, text)
  const contentHash = keccak256(toBytes(text))
  const hash = await wallet(from.privateKey).writeContract({
    address: registry,
    abi: registryAbi,
    functionName: 'submitContribution',
    args: [1n, contentHash, toHex(pathToFileURL(file).href), BigInt(toBytes(text).length), 1n],
  })
  expect((await client.waitForTransactionReceipt({ hash })).status).toBe('success')
  return contentHash
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'dra', 'pel', 'qua', 'zen', 'bor', 'fi', 'gu']
/** A row of pseudo-words nobody else wrote (seeded by `who`), so each contribution is its own text. */
const row = (who: string) => {
  const rand = seededRandom([...who].reduce((h, ch) => h * 31 + ch.charCodeAt(0), 7))
  const word = () =>
    Array.from({ length: 2 + Math.floor(rand() * 2) }, () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)]).join('')
  return `${Array.from({ length: 24 }, word).join(' ')}.`
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opl-attr-reorg-'))
  anvil = await startAnvil({ port: await freePort(), chainId: anvilChain.id, hardfork: 'cancun' })
  client = createPublicClient({ chain: anvilChain, transport: http(anvil.rpc) }) as PublicClient
  const deployer = wallet(owner.privateKey)
  const deploy = async (path: string, args: unknown[]) => {
    const { abi, bytecode } = artifact(path)
    const hash = await deployer.deployContract({ abi, bytecode, args })
    return (await client.waitForTransactionReceipt({ hash })).contractAddress!
  }
  const token = await deploy('test/MockERC20.sol/MockERC20.json', [])
  registry = await deploy('datanets/DatanetRegistry.sol/DatanetRegistry.json', [token, owner.address, owner.address])
  const hash = await deployer.writeContract({
    address: registry,
    abi: registryAbi,
    functionName: 'createDatanet',
    args: [
      'reorg',
      'MIT',
      'ipfs://meta',
      { policy: 0, treasury: owner.address, requiredStake: 0n, maxSubmissionsPerDay: 0, maxBytesPerDay: 0n },
    ],
  })
  await client.waitForTransactionReceipt({ hash })
}, 60_000)

afterAll(async () => {
  await anvil?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('registry scan across a deep reorg', () => {
  test('resets to a position the chain still holds and ingests the new branch, skipping nothing', async () => {
    const cursorFile = join(dir, 'cursor.json')
    const startBlock = await client.getBlockNumber({ cacheTime: 0 })
    const source = new RegistryContributionSource({
      client,
      registry,
      startBlock,
      confirmations: CONFIRMATIONS,
      maxBlockRange: 4n,
      cursorFile,
    })
    const engine = await AttributionEngine.open({ dir: join(dir, 'index'), workers: 1 })
    try {
      // poll 1: A, on the branch that stays
      const a = await contribute(contributors[0]!, row('Ana'))
      await mine(CONFIRMATIONS)
      expect((await engine.ingest(source)).accepted).toEqual([a])
      const kept = await readJsonFile<{ block: string; hash: Hex }>(cursorFile)
      // poll 2: B, on the branch that will be dropped
      const fork = (await rpc('evm_snapshot')) as Hex
      const forkBlock = await client.getBlockNumber({ cacheTime: 0 })
      const b = await contribute(contributors[1]!, row('Bo'))
      await mine(3)
      expect((await engine.ingest(source)).accepted).toEqual([b])
      const dropped = await readJsonFile<{ block: string; history: unknown[] }>(cursorFile)
      expect(dropped!.history).toEqual([expect.objectContaining({ block: kept!.block, hash: kept!.hash })])

      // the reorg: B's blocks go; C lands in B's block at B's log index (same approval order), then D
      expect(await rpc('evm_revert', [fork])).toBe(true)
      expect(await client.getBlockNumber({ cacheTime: 0 })).toBe(forkBlock)
      const c = await contribute(contributors[2]!, row('Cyd'))
      const d = await contribute(contributors[3]!, row('Dee'))
      await mine(6)

      // poll 3: the cursor's block is gone; the scan resumes after A's position, not from deployment
      const report = await engine.ingest(source)
      expect(report.accepted).toEqual([c, d])
      expect(source.lastScan!.fromBlock).toBe(BigInt(kept!.block) + 1n)
      expect(engine.summary.contributions).toBe(4) // B stays: it was ingested before the reorg (warned)

      // poll 4: nothing new, no error, no duplicate
      expect((await engine.ingest(source)).accepted).toEqual([])
      const e = await contribute(contributors[1]!, row('Eli'))
      await mine(CONFIRMATIONS)
      expect((await engine.ingest(source)).accepted).toEqual([e])
      const r = await engine.attribute(`As recorded, ${row('Eli')}`)
      expect(r.contributors.map((x) => x.contributor)).toEqual([contributors[1]!.address])
    } finally {
      await engine.close()
    }
  }, 120_000)
})
