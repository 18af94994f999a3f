import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import pino, { type Logger } from 'pino'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  type Hex,
  http,
  type PublicClient,
  type Transport,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { AttributionEngine } from '../engine/attribution-engine.js'
import { InvalidInputError } from '../errors.js'
import type { AttributionConfig } from '../service/config.js'
import { EpochBook } from '../settlement/epoch-book.js'
import { attributionRewardsAbi, modelRegistryAbi } from './abis.js'
import { ChainEpochs } from './chain-epochs.js'
import { InferenceFeed } from './inference-feed.js'
import { type ChainPollReport, pollChainOnce } from './poll-chain.js'
import { RegistryContributionSource } from './registry-contribution-source.js'
import { RewardsSettler } from './rewards-settler.js'
import { SettledStore } from './settled-store.js'
import { waitForChain } from './wait-for-chain.js'

export type ChainService = {
  log: Logger
  source: RegistryContributionSource
  book: EpochBook
  epochs: ChainEpochs
  settler: RewardsSettler
  addresses: { rewards: Address; models: Address; registry: Address }
  /** the L2 chain id (EIP-712 domains) */
  chainId: number
  /** `epochs.attribute`, one at a time with settlements (they share a state file) */
  attribute: ChainEpochs['attribute']
  /** `epochs.settleReady`, one at a time with bookings */
  settleReady: ChainEpochs['settleReady']
  /** One ingest pass and one settlement pass, failing separately (the poll loop calls it; tests call it directly). */
  pollOnce(): Promise<ChainPollReport>
  start(): void
  stop(): Promise<void>
}

/** A key from the env var (already in config) or from a file; the value never reaches a log. */
async function resolveKey(value: string | undefined, file: string | undefined, what: string): Promise<Hex | undefined> {
  if (value) return value as Hex
  if (!file) return undefined
  const key = (await readFile(file, 'utf8')).trim()
  if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new InvalidInputError(`${what} file does not hold a 32-byte hex key`)
  return key as Hex
}

/**
 * Wires the chain parts from the config: viem clients over the L2 JSON-RPC (or `transport`), the registry
 * source, the inference feed, the settler as attestor and the on-disk state, then restores settled epochs so
 * their proofs are served again.
 */
export async function createChainService(args: {
  config: AttributionConfig
  engine: AttributionEngine
  /** default: pino at `config.logLevel` */
  log?: Logger
  /** overrides `http(config.chainRpc)` (e.g. an EIP-1193 provider) */
  transport?: Transport
  /** false while the poll must not settle yet (the devnet attestor still bonding): it only ingests then */
  maySettle?: () => boolean
}): Promise<ChainService> {
  const { config, engine } = args
  const log = args.log ?? pino({ name: 'opl-attribution', level: config.logLevel })
  if (!config.chainRpc && !args.transport) throw new InvalidInputError('chain mode needs --chain-rpc')
  if (!config.rewards) throw new InvalidInputError('chain mode needs --rewards (AttributionRewards address)')
  const transport = args.transport ?? http(config.chainRpc, { timeout: 30_000 })
  const rewards = getAddress(config.rewards)
  const probe = createPublicClient({ transport }) as PublicClient
  const chain = defineChain({
    id: await waitForChain({ client: probe, rewards, waitMs: config.chainWaitMs, log }),
    name: 'opl-l2',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: config.chainRpc ? [config.chainRpc] : [] } },
  })
  const client = createPublicClient({ chain, transport, pollingInterval: 250 }) as PublicClient
  const models = getAddress(
    await client.readContract({ address: rewards, abi: attributionRewardsAbi, functionName: 'models' }),
  )
  const registry = getAddress(
    await client.readContract({ address: models, abi: modelRegistryAbi, functionName: 'datanets' }),
  )
  if (config.registry && getAddress(config.registry) !== registry)
    throw new InvalidInputError('--registry is not the DatanetRegistry that AttributionRewards uses', {
      configured: config.registry,
      onChain: registry,
    })

  const attestorKey = await resolveKey(config.attestorKey, config.attestorKeyFile, 'attestor key')
  if (!attestorKey) throw new InvalidInputError('chain mode needs an attestor key (env or --attestor-key-file)')
  const relayerKey = await resolveKey(config.relayerKey, config.relayerKeyFile, 'relayer key')
  const wallet = (key: Hex) => createWalletClient({ chain, transport, account: privateKeyToAccount(key) })

  const stateDir = config.stateDir ?? join(config.indexDir, 'chain')
  const store = new SettledStore(join(stateDir, 'settled'))
  const settler = new RewardsSettler({
    client,
    rewards,
    attestor: wallet(attestorKey),
    mode: config.settleMode,
    relayer: relayerKey ? wallet(relayerKey) : undefined,
    store,
    log,
  })
  const book = new EpochBook(settler, { firstEpoch: 0 })
  for (const s of await store.list()) book.restore(s)
  const scan = {
    startBlock: config.startBlock,
    confirmations: config.confirmations,
    maxBlockRange: config.maxBlockRange,
  }
  const source = new RegistryContributionSource({
    client,
    registry,
    ...scan,
    cursorFile: join(stateDir, 'registry-cursor.json'),
    daUrl: config.daUrl,
    maxContentBytes: config.maxContentBytes,
    log,
  })
  const epochs = new ChainEpochs({
    client,
    rewards,
    models,
    registry,
    feed: new InferenceFeed({ client, rewards, ...scan, log }),
    book,
    stateFile: join(stateDir, 'inferences.json'),
    graceSeconds: config.settleGraceSeconds,
    log,
  })
  await epochs.load()
  log.info({ rewards, models, registry, attestor: settler.attestor, mode: config.settleMode }, 'chain mode')

  // ChainEpochs keeps one state file: bookings from requests and settlements from the poll run one at a time,
  // or two concurrent persists race on the same temp file
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <R>(fn: () => Promise<R>): Promise<R> => {
    const next = queue.then(fn, fn)
    queue = next.catch(() => undefined)
    return next
  }
  const settleReady = () => serial(() => epochs.settleReady())
  const maySettle = args.maySettle ?? (() => true)
  const pollOnce = () =>
    pollChainOnce({
      ingest: () => engine.ingest(source),
      settle: async () => (maySettle() ? settleReady() : []),
      log,
    })

  let timer: NodeJS.Timeout | undefined
  let running: Promise<unknown> | undefined
  let stopped = false
  const loop = () => {
    running = pollOnce().finally(() => {
      if (!stopped) timer = setTimeout(loop, config.pollIntervalMs)
    })
  }
  return {
    log,
    source,
    book,
    epochs,
    settler,
    addresses: { rewards, models, registry },
    chainId: chain.id,
    attribute: (inferenceId, result) => serial(() => epochs.attribute(inferenceId, result)),
    settleReady,
    pollOnce,
    start: loop,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
