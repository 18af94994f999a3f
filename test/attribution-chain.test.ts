/**
 * The attribution engine against the real contracts on Hardhat's EDR chain (Cancun), reached the way the service
 * reaches the L2: viem over HTTP JSON-RPC (a small proxy in front of the in-process EDR provider). Contributions
 * live on the dev DA server (eigenda-proxy protocol) and in files; the engine ingests them from DatanetRegistry
 * events, attributes paid inferences by their on-chain ids, settles the epoch on chain as a bonded attestor, and
 * the contributors claim with the proofs the HTTP API serves.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { network } from 'hardhat'
import {
  type Address,
  bytesToHex,
  createWalletClient,
  defineChain,
  getAddress,
  type Hex,
  http,
  keccak256,
  parseEther,
  parseEventLogs,
  toBytes,
  toHex,
} from 'viem'
import { type LocalAccount, mnemonicToAccount, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { attributionRewardsAbi } from '../packages/attribution-engine/src/chain/abis.js'
import { type ChainService, createChainService } from '../packages/attribution-engine/src/chain/chain-service.js'
import { TotalsMismatchError } from '../packages/attribution-engine/src/chain/errors.js'
import { AttributionEngine, type ClaimProof } from '../packages/attribution-engine/src/index.js'
import { seededRandom } from '../packages/attribution-engine/src/planted/random.js'
import { createOutputAuthorizer } from '../packages/attribution-engine/src/service/authorize-output.js'
import { ChainFacts } from '../packages/attribution-engine/src/service/chain-facts.js'
import { AttributionConfig } from '../packages/attribution-engine/src/service/config.js'
import { createAttributionServer } from '../packages/attribution-engine/src/service/http-server.js'
import { signInferenceOutput } from '../packages/attribution-engine/src/service/inference-output-signature.js'
import { createMetrics } from '../packages/attribution-engine/src/service/metrics.js'
import { ResultStore } from '../packages/attribution-engine/src/service/result-store.js'
import { DaServerConfig, startDaServer } from '../packages/da-server/src/index.js'

// biome-ignore lint/suspicious/noExplicitAny: contract handles are typed from artifacts the typecheck does not load
type C = any
const EPOCH = 3600n
const WINDOW = 60n
const CONFIRMATIONS = 2
const BOND = parseEther('1')
const ATTESTOR_KEY = keccak256(toBytes('opl attribution test attestor'))
const RELAYER_KEY = keccak256(toBytes('opl attribution test relayer'))

let conn: Awaited<ReturnType<typeof network.create>>
let rpc: Server
let rpcUrl: string
let da: Awaited<ReturnType<typeof startDaServer>>
let dir: string
let open: C
let datanets: C
let models: C
let rewards: C
let admin: Address
let contributors: Address[]
let payer: Address
let treasury: Address

/** Serves the in-process EDR provider as HTTP JSON-RPC, so the engine uses its production transport. */
function serveJsonRpc(provider: typeof conn.provider): Promise<Server> {
  type Req = { id: number | string | null; method: string; params?: unknown[] }
  const answer = async (r: Req) => {
    try {
      return { jsonrpc: '2.0', id: r.id, result: await provider.request({ method: r.method, params: r.params }) }
    } catch (err) {
      const e = err as { code?: number; message: string; data?: unknown }
      return { jsonrpc: '2.0', id: r.id, error: { code: e.code ?? -32603, message: e.message, data: e.data } }
    }
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Req | Req[]
      const out = Array.isArray(body) ? await Promise.all(body.map(answer)) : await answer(body)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(out, (_, v) => (typeof v === 'bigint' ? toHex(v) : v)))
    })
  })
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)))
}

const rpcCall = (method: string, params: unknown[] = []) => conn.provider.request({ method, params })
const mine = async (blocks: number) => {
  for (let i = 0; i < blocks; i++) await rpcCall('evm_mine')
}
const increaseTime = async (seconds: bigint) => {
  await rpcCall('evm_increaseTime', [Number(seconds)])
  await mine(1)
}

/** Deterministic pseudo-words: rows nobody else wrote, so a copied span has exactly one owner. */
const rand = seededRandom(42)
const SYL = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'dra', 'pel', 'qua', 'zen', 'bor', 'fi', 'gu']
const word = () =>
  Array.from({ length: 2 + Math.floor(rand() * 2) }, () => SYL[Math.floor(rand() * SYL.length)]).join('')
const sentence = (n = 24) => `${Array.from({ length: n }, word).join(' ')}.`

/** Each contributor's rows (one contribution of three rows each). */
const rows = [0, 1, 2].map(() => [sentence(), sentence(), sentence()])
const contents = rows.map((r) => r.join('\n'))
/** Outputs that copy whole rows of contributors (planted), between filler nobody registered. */
const outputs = [
  `${rows[0]![0]} ${sentence(12)} ${rows[1]![1]}`,
  `${sentence(10)} ${rows[2]![2]} ${rows[0]![1]}`,
  `${rows[1]![0]} ${rows[2]![0]} ${sentence(8)}`,
]

async function receiptLogs(hash: Hex) {
  const receipt = await conn.viem.getPublicClient().then((c) => c.waitForTransactionReceipt({ hash }))
  return receipt.logs
}

function chainConfig(extra: Record<string, unknown> = {}) {
  return AttributionConfig.parse({
    indexDir: join(dir, 'index'),
    chainRpc: rpcUrl,
    rewards: rewards.address,
    registry: datanets.address,
    confirmations: String(CONFIRMATIONS),
    maxBlockRange: '5',
    daUrl: da.url,
    attestorKey: ATTESTOR_KEY,
    settleGraceSeconds: '0',
    ...extra,
  })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opl-attr-chain-'))
  conn = await network.create({ override: { hardfork: 'cancun' } })
  rpc = await serveJsonRpc(conn.provider)
  rpcUrl = `http://127.0.0.1:${(rpc.address() as AddressInfo).port}`
  da = await startDaServer({
    config: DaServerConfig.parse({ dataDir: join(dir, 'da'), port: 0, logLevel: 'silent' }),
  })
  const { viem } = conn
  const wallets = (await viem.getWalletClients()).map((w) => w.account.address)
  ;[admin, payer, treasury] = [wallets[0]!, wallets[4]!, wallets[5]!]
  contributors = wallets.slice(1, 4)
  open = await viem.deployContract('MockERC20', [])
  datanets = await viem.deployContract('DatanetRegistry', [open.address, admin, admin])
  models = await viem.deployContract('ModelRegistry', [datanets.address, admin])
  rewards = await viem.deployContract('AttributionRewards', [
    open.address,
    models.address,
    admin,
    admin,
    admin,
    EPOCH,
    WINDOW,
    BOND,
    0n,
  ])
  // The attestor is a plain key, as in production: funded, bonded, granted the role.
  for (const key of [ATTESTOR_KEY, RELAYER_KEY]) {
    const account = privateKeyToAccount(key)
    await rpcCall('hardhat_setBalance', [account.address, toHex(parseEther('100'))])
  }
  const attestor = privateKeyToAccount(ATTESTOR_KEY)
  await open.write.mint([attestor.address, BOND])
  const chain = defineChain({
    id: await conn.viem.getPublicClient().then((c) => c.getChainId()),
    name: 'edr',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  })
  const attestorWallet = createWalletClient({ account: attestor, transport: http(rpcUrl), chain })
  const approveAbi = [
    {
      type: 'function',
      name: 'approve',
      stateMutability: 'nonpayable',
      inputs: [
        { name: 's', type: 'address' },
        { name: 'a', type: 'uint256' },
      ],
      outputs: [{ type: 'bool' }],
    },
  ] as const
  const bondAbi = [
    {
      type: 'function',
      name: 'depositBond',
      stateMutability: 'nonpayable',
      inputs: [{ name: 'a', type: 'uint256' }],
      outputs: [],
    },
  ] as const
  await receiptLogs(
    await attestorWallet.writeContract({
      address: open.address,
      abi: approveAbi,
      functionName: 'approve',
      args: [rewards.address, BOND],
    }),
  )
  await receiptLogs(
    await attestorWallet.writeContract({
      address: rewards.address,
      abi: bondAbi,
      functionName: 'depositBond',
      args: [BOND],
    }),
  )
  await rewards.write.grantRole([await rewards.read.ATTESTOR_ROLE(), attestor.address])

  // Owner-approval Datanet: submissions and approvals land in different blocks.
  await datanets.write.createDatanet([
    'planted',
    'MIT',
    'ipfs://meta',
    { policy: 2, treasury, requiredStake: 0n, maxSubmissionsPerDay: 0, maxBytesPerDay: 0n },
  ])
}, 120_000)

afterAll(async () => {
  await new Promise((r) => rpc?.close(r))
  await da?.close()
  await conn?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Puts `text` on the DA server and returns the commitment the registry records as dataRef. */
async function putOnDa(text: string): Promise<Hex> {
  const res = await fetch(`${da.url}/put`, { method: 'POST', body: toBytes(text) })
  expect(res.status).toBe(200)
  return bytesToHex(new Uint8Array(await res.arrayBuffer()))
}

async function submit(from: Address, content: string, dataRef: Hex): Promise<Hex> {
  const hash = keccak256(toBytes(content))
  await datanets.write.submitContribution([1n, hash, dataRef, BigInt(toBytes(content).length), 1n], { account: from })
  return hash
}

/** The payer pays one inference of model 1; returns its on-chain id from the InferencePaid event. */
async function payInference(inTokens: bigint, outTokens: bigint, ref: number): Promise<bigint> {
  const hash: Hex = await rewards.write.payInference(
    [1n, inTokens, outTokens, parseEther('1'), keccak256(toHex(ref))],
    {
      account: payer,
    },
  )
  const [paid] = parseEventLogs({
    abi: attributionRewardsAbi,
    eventName: 'InferencePaid',
    logs: await receiptLogs(hash),
  })
  return paid!.args.inferenceId
}

describe('attribution engine on chain', () => {
  let engine: AttributionEngine
  let chain: ChainService
  let server: ReturnType<typeof createAttributionServer>
  let results: ResultStore
  let api: string
  let goodHashes: Hex[]
  let badHash: Hex
  let approvedAt: bigint
  const settledClaims = new Map<Address, ClaimProof[]>()

  afterAll(async () => {
    await new Promise((r) => server?.close(r))
    await results?.close()
    await engine?.close()
  })

  test('ingests approved contributions from DA and files, refusing a content-hash mismatch', async () => {
    // contributor 3 registers text X but its file holds text Y: refused at ingestion
    const wrongFile = join(dir, 'wrong.txt')
    writeFileSync(wrongFile, sentence())
    badHash = await submit(contributors[2]!, sentence(), toHex(pathToFileURL(wrongFile).href))
    await datanets.write.approveContributions([1n, [badHash]])
    // contributors 1 and 2 on the DA server (by commitment), contributor 3 in a file (by URI)
    const thirdFile = join(dir, 'third.txt')
    writeFileSync(thirdFile, contents[2]!)
    goodHashes = [
      await submit(contributors[0]!, contents[0]!, await putOnDa(contents[0]!)),
      await submit(contributors[1]!, contents[1]!, await putOnDa(contents[1]!)),
      await submit(contributors[2]!, contents[2]!, toHex(pathToFileURL(thirdFile).href)),
    ]
    await datanets.write.approveContributions([1n, goodHashes])
    approvedAt = await conn.viem.getPublicClient().then((c) => c.getBlockNumber())
    await mine(CONFIRMATIONS)

    engine = await AttributionEngine.open({ dir: join(dir, 'index'), workers: 1 })
    chain = await createChainService({ config: chainConfig({ logLevel: 'silent' }), engine })
    const report = await engine.ingest(chain.source)
    expect(report.accepted).toEqual(goodHashes)
    expect(report.rejected).toEqual([expect.objectContaining({ id: badHash, reason: 'ContentHashMismatchError' })])
    expect(engine.summary.contributions).toBe(3)
    expect(engine.summary.rows).toBe(9)
  })

  test('attributes paid inferences into their on-chain epoch, settles it and every contributor claims exactly', async () => {
    const version = await datanets.read.currentVersion([1n])
    await models.write.registerModel([
      {
        name: 'planted-lora',
        kind: 0,
        baseModelId: keccak256(toBytes('base')),
        adapterHash: keccak256(toBytes('adapter')),
        adapterURI: '',
        datanets: [{ datanetId: 1n, version, weightBps: 10_000 }],
        ratePer1kIn: parseEther('0.001'),
        ratePer1kOut: parseEther('0.003'),
        split: { ownerBps: 3000, contributorsBps: 5000, protocolBps: 2000 },
      },
    ])
    await open.write.mint([payer, parseEther('100')])
    await open.write.approve([rewards.address, parseEther('100')], { account: payer })
    const ids: bigint[] = []
    for (let i = 0; i < outputs.length; i++) ids.push(await payInference(1234n + BigInt(i), 567n, i))
    const epoch: bigint = ids[0]! >> 64n
    expect(ids.map((id) => id >> 64n)).toEqual([epoch, epoch, epoch])
    await mine(CONFIRMATIONS)

    results = await ResultStore.open(join(dir, 'results.jsonl'))
    const client = await conn.viem.getPublicClient()
    const facts = new ChainFacts({ client: client as never, ...chain.addresses })
    server = createAttributionServer({
      engine,
      epochs: chain.book,
      metrics: createMetrics(engine),
      log: chain.log,
      maxBodyBytes: 1 << 20,
      defaultTreasury: treasury,
      results,
      chain: {
        authorize: createOutputAuthorizer({ facts, chainId: chain.chainId, rewards: chain.addresses.rewards }),
        attribute: (id, r) => chain.epochs.attribute(id, r),
        settle: () => chain.epochs.settleReady(),
      },
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

    // model 1 was registered by the default (Hardhat mnemonic) account 0: its owner signs the outputs
    const owner = mnemonicToAccount('test test test test test test test test test test test junk')
    expect(owner.address).toBe(getAddress(admin))
    const attribution = async (output: string, id: bigint, signer: LocalAccount = owner) => {
      const signature = await signInferenceOutput(signer, {
        chainId: chain.chainId,
        rewards: rewards.address,
        inferenceId: id,
        output,
      })
      return fetch(`${api}/v1/attributions`, {
        method: 'POST',
        body: JSON.stringify({ output, inferenceId: id.toString(), signature }),
      })
    }
    const errorOf = async (res: Response) => [res.status, ((await res.json()) as { error: string }).error]
    // an unsigned post, and the payer front-running with an output quoting contributor 3 signed by itself
    const unsigned = await fetch(`${api}/v1/attributions`, {
      method: 'POST',
      body: JSON.stringify({ output: outputs[0], inferenceId: ids[0]!.toString() }),
    })
    expect(await errorOf(unsigned)).toEqual([401, 'OutputSignatureRequiredError'])
    const intruder = privateKeyToAccount(RELAYER_KEY)
    expect(await errorOf(await attribution(rows[2]!.join(' '), ids[0]!, intruder))).toEqual([
      403,
      'OutputSignerNotModelOwnerError',
    ])
    // a signature over another output recovers to another address: refused the same way
    const swapped = await signInferenceOutput(owner, {
      chainId: chain.chainId,
      rewards: rewards.address,
      inferenceId: ids[0]!,
      output: outputs[1]!,
    })
    const replayed = await fetch(`${api}/v1/attributions`, {
      method: 'POST',
      body: JSON.stringify({ output: outputs[0], inferenceId: ids[0]!.toString(), signature: swapped }),
    })
    expect((await errorOf(replayed))[0]).toBe(403)

    const expected = new Map<string, bigint>()
    for (let i = 0; i < outputs.length; i++) {
      const res = await attribution(outputs[i]!, ids[i]!)
      expect(res.status).toBe(200)
      const body = (await res.json()) as {
        epoch: number
        payouts: Record<string, string>
        result: { contributors: Array<{ contributor: Address }> }
      }
      expect(body.epoch).toBe(Number(epoch))
      for (const [a, v] of Object.entries(body.payouts))
        expected.set(a.toLowerCase(), (expected.get(a.toLowerCase()) ?? 0n) + BigInt(v))
      // the planted rows' owners are the ones credited
      const credited = body.result.contributors.map((c) => c.contributor.toLowerCase()).sort()
      const planted = [
        [0, 1],
        [2, 0],
        [1, 2],
      ]
        [i]!.map((k) => contributors[k]!.toLowerCase())
        .sort()
      expect(credited).toEqual(planted)
    }
    // the first booking stands: the same output again is answered with it, another output is refused
    const first = (await (await fetch(`${api}/v1/attributions/${ids[0]}`)).json()) as {
      payouts: unknown
      result: { digest: Hex }
    }
    const same = (await (await attribution(outputs[0]!, ids[0]!)).json()) as typeof first
    expect([same.payouts, same.result.digest]).toEqual([first.payouts, first.result.digest])
    expect(await errorOf(await attribution(outputs[1]!, ids[0]!))).toEqual([409, 'InferenceAlreadyAttributedError'])
    // an id that was never paid is refused
    const unknown = await attribution(outputs[0]!, (epoch << 64n) | 99n)
    expect(((await unknown.json()) as { error: string }).error).toBe('UnknownInferenceError')

    // before the epoch ends nothing settles
    const early = (await (await fetch(`${api}/v1/epochs`, { method: 'POST' })).json()) as { settled: unknown[] }
    expect(early.settled).toEqual([])
    await increaseTime(EPOCH)
    const closed = (await (await fetch(`${api}/v1/epochs`, { method: 'POST' })).json()) as {
      settled: Array<{ epoch: number; claimsRoot: Hex; recordsRoot: Hex; totalClaims: string; inferences: number }>
    }
    expect(closed.settled).toHaveLength(1)
    const [s] = closed.settled
    const escrow = await rewards.read.getEscrow([epoch])
    const onChain = await rewards.read.getSettlement([epoch])
    expect(s!.epoch).toBe(Number(epoch))
    expect(onChain.status).toBe(1)
    expect(onChain.rewardsRoot).toBe(s!.claimsRoot)
    expect(onChain.inferencesRoot).toBe(s!.recordsRoot)
    expect(onChain.attestor).toBe(privateKeyToAccount(ATTESTOR_KEY).address)
    expect(BigInt(s!.totalClaims)).toBe(escrow.contributors)
    expect(s!.inferences).toBe(3)

    await increaseTime(WINDOW)
    let claimedTotal = 0n
    for (const account of [...contributors, treasury]) {
      const res = await fetch(`${api}/v1/claims/${account}`)
      expect(res.status).toBe(200)
      const { claims } = (await res.json()) as { claims: ClaimProof[] }
      settledClaims.set(account, claims)
      const owed = claims.reduce((a, c) => a + BigInt(c.amount), 0n)
      expect(owed).toBe(expected.get(account.toLowerCase()))
      const before: bigint = await open.read.balanceOf([account])
      await rewards.write.claimMany(
        [
          claims.map((c) => ({
            epoch: BigInt(c.epoch),
            index: BigInt(c.index),
            account: c.account,
            amount: BigInt(c.amount),
            proof: c.proof,
          })),
        ],
        { account },
      )
      expect((await open.read.balanceOf([account])) - before).toBe(owed)
      claimedTotal += owed
    }
    for (const c of contributors) expect(BigInt(settledClaims.get(c)![0]!.amount)).toBeGreaterThan(0n)
    expect(claimedTotal).toBe(escrow.contributors)
    expect((await rewards.read.getSettlement([epoch])).claimedAmount).toBe(escrow.contributors)
  })

  test('a restart resumes from the cursor, serves the settled proofs and waits for confirmations', async () => {
    await new Promise((r) => server.close(r))
    await engine.close()
    engine = await AttributionEngine.open({ dir: join(dir, 'index'), workers: 1 })
    chain = await createChainService({ config: chainConfig({ logLevel: 'silent' }), engine })
    for (const c of [...contributors, treasury]) expect(chain.book.claimsOf(c)).toEqual(settledClaims.get(c))

    const again = await engine.ingest(chain.source)
    expect(again.accepted).toEqual([])
    expect(again.rejected).toEqual([])
    // the scan starts after the persisted cursor, past every approval already indexed
    expect(chain.source.lastScan!.fromBlock).toBeGreaterThan(approvedAt)
    expect(engine.summary.contributions).toBe(3)

    const text = sentence()
    const hash = await submit(contributors[0]!, text, await putOnDa(text))
    await datanets.write.approveContributions([1n, [hash]])
    expect((await engine.ingest(chain.source)).accepted).toEqual([])
    await mine(CONFIRMATIONS)
    expect((await engine.ingest(chain.source)).accepted).toEqual([hash])
    expect(engine.summary.contributions).toBe(4)
  })

  test('signature mode: the relayer posts the attestor-signed settlement; an unattributed inference pays the treasury', async () => {
    await engine.close()
    engine = await AttributionEngine.open({ dir: join(dir, 'index'), workers: 1 })
    chain = await createChainService({
      config: chainConfig({ logLevel: 'silent', settleMode: 'signature', relayerKey: RELAYER_KEY }),
      engine,
    })
    await engine.ingest(chain.source)
    const ids = [await payInference(1000n, 1000n, 10), await payInference(1000n, 1000n, 11)]
    const epoch = ids[0]! >> 64n
    await mine(CONFIRMATIONS)
    const { payouts } = await chain.epochs.attribute(ids[0]!, await engine.attribute(outputs[0]!))
    // the second inference gets no attribution: its contributors' part goes to the Datanet treasury
    await increaseTime(EPOCH)

    // totals that differ from the escrow are refused before anything is sent
    await expect(
      chain.settler.settle({
        epoch: Number(epoch),
        claimsRoot: keccak256('0x01'),
        recordsRoot: keccak256('0x02'),
        totalClaims: '1',
        totalOwner: '0',
        totalProtocol: '0',
        totalPlatform: '0',
        inferences: 2,
        claims: [],
        records: [],
        owners: [],
      }),
    ).rejects.toThrow(TotalsMismatchError)

    const [settled] = await chain.epochs.settleReady()
    expect(settled!.epoch).toBe(Number(epoch))
    const escrow = await rewards.read.getEscrow([epoch])
    expect(BigInt(settled!.totalClaims)).toBe(escrow.contributors)
    const onChain = await rewards.read.getSettlement([epoch])
    expect(onChain.attestor).toBe(privateKeyToAccount(ATTESTOR_KEY).address)
    const stored = JSON.parse(readFileSync(join(dir, 'index', 'chain', 'settled', `epoch-${epoch}.json`), 'utf8'))
    const tx = await conn.viem.getPublicClient().then((c) => c.getTransaction({ hash: stored.txHash }))
    expect(tx.from.toLowerCase()).toBe(privateKeyToAccount(RELAYER_KEY).address.toLowerCase())

    const [, , , contributorsPart] = await rewards.read.quote([1n, 1000n, 1000n])
    const claim = chain.book.claimsOf(treasury).find((c) => c.epoch === Number(epoch))!
    expect(BigInt(claim.amount)).toBe((payouts.get(getAddress(treasury)) ?? 0n) + contributorsPart)
    await increaseTime(WINDOW)
    const before: bigint = await open.read.balanceOf([treasury])
    await rewards.write.claim([epoch, BigInt(claim.index), treasury, BigInt(claim.amount), claim.proof], {
      account: treasury,
    })
    expect((await open.read.balanceOf([treasury])) - before).toBe(BigInt(claim.amount))
  })
})
