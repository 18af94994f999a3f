import { readFile } from 'node:fs/promises'
import { parseRollupConfig, type RollupConfig } from '@opl/protocol'
import { type Logger, pino } from 'pino'
import { NodeConfig, type NodeConfigInput } from './config.js'
import { LevelNodeBackend } from './engine/db/level-backend.js'
import { Engine } from './engine/engine.js'
import type { GenesisSpec } from './engine/genesis.js'
import { readGenesisFile } from './engine/genesis-file.js'
import { NodeMetrics } from './metrics.js'
import type { RpcContext } from './rpc/context.js'
import { Dispatcher } from './rpc/dispatch.js'
import { FilterRegistry } from './rpc/filters.js'
import { allMethods } from './rpc/methods/index.js'
import { RpcServer } from './rpc/server.js'
import { SubscriptionHub } from './rpc/subscriptions.js'
import type { SequencerControl } from './sequencer-ports.js'
import { ChainStore } from './store/chain-store.js'
import { TxPool } from './txpool/tx-pool.js'

export const CLIENT_VERSION = 'opl-node/v0.1.0'

export type StartNodeParameters = {
  config: NodeConfigInput
  log?: Logger
  /** genesis and chain id given directly instead of read from `config.genesis` (tests) */
  genesis?: { chainId: bigint; spec: GenesisSpec }
  rollupConfig?: RollupConfig
}

/**
 * The L2 node: engine + LevelDB store + tx pool + JSON-RPC. The sequencer (when this node runs one) drives blocks:
 * it pulls from `pool` (TxSource), commits through `store` (BlockSink), and is attached with `attachSequencer` for
 * the admin_* and optimism_syncStatus RPC.
 */
export class OplNode {
  private constructor(
    readonly config: NodeConfig,
    readonly log: Logger,
    readonly engine: Engine,
    readonly store: ChainStore,
    readonly pool: TxPool,
    readonly rpc: RpcServer,
    readonly metrics: NodeMetrics,
    private readonly ctx: RpcContext,
    private readonly backend: LevelNodeBackend,
  ) {}

  static async start(parameters: StartNodeParameters): Promise<OplNode> {
    const config = NodeConfig.parse(parameters.config)
    const log = parameters.log ?? pino({ name: 'opl-node', level: config.logLevel })
    const genesis = parameters.genesis ?? (await readGenesisFile(config.genesis))
    const rollupConfig =
      parameters.rollupConfig ??
      (config.rollupConfig ? parseRollupConfig(JSON.parse(await readFile(config.rollupConfig, 'utf8'))) : undefined)
    const backend = await LevelNodeBackend.open(config.dataDir)
    try {
      const engine = await Engine.create({ config: { chainId: genesis.chainId }, genesis: genesis.spec, backend })
      const store = await ChainStore.open(engine, backend, { sync: config.syncWrites })
      const pool = new TxPool(
        engine,
        {
          accountSlots: config.txpoolAccountSlots,
          globalSlots: config.txpoolGlobalSlots,
          priceBump: config.txpoolPriceBump,
          minTip: config.txpoolMinTip,
        },
        log.child({ part: 'txpool' }),
      )
      const metrics = new NodeMetrics()
      const ctx: RpcContext = {
        engine,
        store,
        pool,
        log,
        filters: new FilterRegistry(),
        subscriptions: new SubscriptionHub(),
        clientVersion: CLIENT_VERSION,
        ...(rollupConfig ? { rollupConfig } : {}),
        limits: {
          logsBlockRange: config.logsBlockRange,
          logsMaxResults: config.logsMaxResults,
          rpcGasCap: config.rpcGasCap,
        },
      }
      store.onBlock((block, receipts) => {
        ctx.filters.onBlock(block, receipts)
        ctx.subscriptions.onBlock(block, receipts)
        metrics.blocks.inc()
        log.info(
          {
            number: Number(block.header.number),
            hash: block.hash,
            txs: block.transactions.length,
            gasUsed: Number(block.header.gasUsed),
          },
          'block committed',
        )
        void pool.onNewHead().catch((err: unknown) => log.error({ err }, 'tx pool reset failed'))
      })
      pool.onAdd((hash) => {
        ctx.filters.onPendingTx(hash)
        ctx.subscriptions.onPendingTx(hash)
      })
      const dispatcher = new Dispatcher(allMethods, ctx, log.child({ part: 'rpc' }), {
        batchLimit: config.batchLimit,
        observe: (method, seconds, ok) =>
          metrics.rpcDuration.observe({ method: method in allMethods ? method : 'unknown', ok: String(ok) }, seconds),
      })
      const node: { current?: OplNode } = {}
      const rpc = await RpcServer.start(
        dispatcher,
        {
          host: config.httpHost,
          port: config.httpPort,
          maxBodyBytes: config.maxBodyBytes,
          corsOrigin: config.corsOrigin,
          routes: {
            '/healthz': async () => ({
              status: 200,
              type: 'application/json',
              body: JSON.stringify({ version: CLIENT_VERSION }),
            }),
            '/readyz': async () => ({
              status: 200,
              type: 'application/json',
              body: JSON.stringify({ head: Number(store.headNumber) }),
            }),
            '/metrics': async () => {
              metrics.heads.set({ label: 'unsafe' }, Number(store.headNumber))
              metrics.heads.set({ label: 'safe' }, Number(store.label('safe')))
              metrics.heads.set({ label: 'finalized' }, Number(store.label('finalized')))
              metrics.poolSize.set(pool.size)
              return { status: 200, type: metrics.registry.contentType, body: await metrics.registry.metrics() }
            },
          },
        },
        log.child({ part: 'rpc' }),
      )
      log.info({ url: rpc.url, head: Number(store.headNumber), chainId: Number(genesis.chainId) }, 'node started')
      node.current = new OplNode(config, log, engine, store, pool, rpc, metrics, ctx, backend)
      return node.current
    } catch (error) {
      await backend.close()
      throw error
    }
  }

  /** Connects the sequencer for admin_* and optimism_syncStatus. */
  attachSequencer(sequencer: SequencerControl): void {
    this.ctx.sequencer = sequencer
  }

  async stop(): Promise<void> {
    await this.rpc.close()
    await this.backend.close()
    this.log.info('node stopped')
  }
}
