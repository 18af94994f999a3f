import type { Server } from 'node:http'
import { join } from 'node:path'
import pino, { type Logger } from 'pino'
import { type Address, createPublicClient, http, type PublicClient } from 'viem'
import { type ChainService, createChainService } from '../chain/chain-service.js'
import { AttributionEngine } from '../engine/attribution-engine.js'
import { SmallModels } from '../influence/small-models.js'
import { EpochBook } from '../settlement/epoch-book.js'
import { RecordingSettler } from '../settlement/settler.js'
import { Attributor } from './attributor.js'
import { createOutputAuthorizer } from './authorize-output.js'
import { ChainFacts } from './chain-facts.js'
import type { AttributionConfig } from './config.js'
import { createAttributionServer } from './http-server.js'
import { createMetrics } from './metrics.js'
import { ResultStore } from './result-store.js'

/**
 * Something settlement must wait for (the devnet bonds its attestor after the API is up): settling before it is done
 * would revert on chain. `/readyz` reports its status until then.
 */
export type SettlementGate = {
  /** resolves once settling may start; rejects when it never will (the service is stopping) */
  open: Promise<void>
  /** merged into `/readyz`; `ok: false` while settlement waits */
  status(): { ok: boolean } & Record<string, unknown>
}

export type RunningAttributionService = {
  /** base URL of the HTTP API */
  url: string
  engine: AttributionEngine
  smallModels: SmallModels
  chain?: ChainService
  /** answered attributions, `<indexDir>/results/attributions.jsonl` */
  results: ResultStore
  server: Server
  log: Logger
  /** Stops the HTTP server, finishes the in-flight chain poll, drops the models and closes the pool. */
  stop(): Promise<void>
}

/** The service's pino logger: its level, keys redacted. */
export function serviceLogger(c: AttributionConfig): Logger {
  return pino({
    name: 'opl-attribution',
    level: c.logLevel,
    redact: { paths: ['attestorKey', 'relayerKey', '*.attestorKey', '*.relayerKey'], censor: '[secret]' },
  })
}

/**
 * `opl-attribution serve` as a function: the engine over `config.indexDir`, small models kept in
 * `<indexDir>/models`, the HTTP API, and with `chainRpc` the chain service (ingest from DatanetRegistry, epochs
 * from InferencePaid, settlement as attestor) polling in the background. Resolves once the server listens.
 */
export async function startAttributionService(args: {
  config: AttributionConfig
  log?: Logger
  /** settlement (the poll's and POST /v1/epochs) waits for it; `/readyz` is 503 until it opens */
  settlementGate?: SettlementGate
}): Promise<RunningAttributionService> {
  const { config: c, settlementGate: gate } = args
  const log = args.log ?? serviceLogger(c)
  let settleOpen = gate === undefined
  gate?.open.then(
    () => {
      settleOpen = true
    },
    () => undefined,
  )
  const engine = await AttributionEngine.open({
    dir: c.indexDir,
    workers: c.workers,
    encoding: c.encoding,
    queryTimeoutMs: c.queryTimeoutMs,
    log,
  })
  const smallModels = new SmallModels({
    data: engine,
    pool: engine.workerPool,
    tokenizer: engine.tokenizer,
    dir: join(c.indexDir, 'models'),
    log,
  })
  // With chainRpc: contributions, payments and epochs come from the chain and settle there; otherwise epochs
  // are booked from the requests' charges and recorded in memory.
  const chain = c.chainRpc
    ? await createChainService({ config: c, engine, log, maySettle: () => settleOpen })
    : undefined
  const facts =
    chain &&
    new ChainFacts({
      client: createPublicClient({ transport: http(c.chainRpc, { timeout: 30_000 }) }) as PublicClient,
      ...chain.addresses,
      startBlock: c.startBlock,
    })
  const results = await ResultStore.open(join(c.indexDir, 'results', 'attributions.jsonl'))
  const server = createAttributionServer({
    engine,
    epochs: chain?.book ?? new EpochBook(new RecordingSettler()),
    metrics: createMetrics(engine),
    log,
    maxBodyBytes: c.maxBodyBytes,
    defaultTreasury: c.defaultTreasury as Address,
    results,
    chain: chain &&
      facts && {
        authorize: createOutputAuthorizer({ facts, chainId: chain.chainId, rewards: chain.addresses.rewards }),
        attribute: chain.attribute,
        settle: async () => {
          await gate?.open
          return chain.settleReady()
        },
      },
    attributor: new Attributor({ engine, smallModels, influenceModels: c.influenceModels, chain: facts }),
    readiness: withGate(c.chainRpc ? chainReadiness(c.chainRpc) : undefined, gate),
  })
  await new Promise<void>((ready, fail) => {
    server.once('error', fail)
    server.listen(c.port, c.host, () => ready())
  })
  chain?.start()
  const addr = server.address()
  const url = `http://${c.host}:${typeof addr === 'object' && addr ? addr.port : c.port}`
  log.info({ url, version: engine.version, chain: chain !== undefined }, 'attribution API ready')
  // The tokenizer's tables (decoded lazily, 0.3–0.6 s on the event loop) are loaded in the background instead of on
  // the first request — a moment after listening, so the start's health checks are answered first.
  const warmUp = setTimeout(() => engine.tokenizer.encode(''), 1_000).unref()
  return {
    url,
    engine,
    smallModels,
    chain,
    results,
    server,
    log,
    async stop() {
      clearTimeout(warmUp)
      await new Promise<void>((done) => server.close(() => done()))
      // finish the in-flight poll (a settlement waiting for its receipt) before the pool goes away
      await chain?.stop()
      await results.close()
      await smallModels.close()
      await engine.close()
    },
  }
}

/** `/readyz` answers ok only while the dependencies answer and the settlement gate (if any) is open. */
function withGate(
  readiness: (() => Promise<{ ok: boolean } & Record<string, unknown>>) | undefined,
  gate: SettlementGate | undefined,
): (() => Promise<{ ok: boolean } & Record<string, unknown>>) | undefined {
  if (!gate) return readiness
  return async () => {
    const deps = (await readiness?.()) ?? { ok: true }
    const settlement = gate.status()
    return { ...deps, ok: deps.ok && settlement.ok, settlement }
  }
}

/** Ready in chain mode while the L2 RPC answers within 2 s (ingest, payments and settlement all go through it). */
function chainReadiness(rpc: string): () => Promise<{ ok: boolean; chain: { ok: boolean; error?: string } }> {
  const client = createPublicClient({ transport: http(rpc, { timeout: 2_000, retryCount: 0 }) })
  return async () => {
    try {
      await client.getBlockNumber({ cacheTime: 0 })
      return { ok: true, chain: { ok: true } }
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error)
      return { ok: false, chain: { ok: false, error: message } }
    }
  }
}
