import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseRollupConfig, type RollupConfig } from '@opl/protocol'
import { type Logger, pino } from 'pino'
import { bytesToHex, createPublicClient, http, padHex } from 'viem'
import { NodeConfig, type NodeConfigInput } from './config.js'
import { HttpDaSource } from './derivation/da-source.js'
import { Derivation } from './derivation/derivation.js'
import { ViemL1TransactionSource } from './derivation/l1-transactions.js'
import { LevelNodeBackend } from './engine/db/level-backend.js'
import { Engine } from './engine/engine.js'
import type { GenesisSpec } from './engine/genesis.js'
import { readGenesisFile } from './engine/genesis-file.js'
import { rawTransactionForwarder } from './forward-transaction.js'
import { recordedGenesisRoot, recordGenesisRoot } from './genesis-record.js'
import { L1Tracker } from './l1/l1-tracker.js'
import { ViemL1Source } from './l1/viem-l1-source.js'
import { NodeMetrics } from './metrics.js'
import type { RpcContext } from './rpc/context.js'
import { Dispatcher } from './rpc/dispatch.js'
import { FilterRegistry } from './rpc/filters.js'
import { allMethods } from './rpc/methods/index.js'
import { prefetchBatchSenders } from './rpc/methods/send.js'
import { RpcServer } from './rpc/server.js'
import { SubscriptionHub } from './rpc/subscriptions.js'
import { blobBaseFeeUpdateFraction } from './sequencer/config.js'
import { Sequencer } from './sequencer/sequencer.js'
import type { SequencerControl } from './sequencer-ports.js'
import { ChainStore, type StoredBlock } from './store/chain-store.js'
import { StoreDerivationChain } from './store-derivation-chain.js'
import { TxJournal } from './txpool/journal.js'
import { defaultRecoveryWorkers, SenderRecovery } from './txpool/sender-recovery.js'
import { TxPool } from './txpool/tx-pool.js'
import { VerifierControl } from './verifier-control.js'

export const CLIENT_VERSION = 'opl-node/v0.1.0'

/** The node's config cannot run: a missing or mismatching file or flag. The message names it. */
export class NodeConfigError extends Error {
  override name = 'NodeConfigError'
}

export type StartNodeParameters = {
  config: NodeConfigInput
  log?: Logger
  /** genesis and chain id given directly instead of read from `config.genesis` (tests) */
  genesis?: { chainId: bigint; spec: GenesisSpec }
  rollupConfig?: RollupConfig
  /** the sequencer's wall clock in ms (tests run it faster than real time to make many blocks quickly) */
  clock?: () => number
  /**
   * worker threads recovering the senders of JSON-RPC batches' txs (default: 1 with a second core, else 0); not a
   * flag yet — tests and benchmarks compare with and without
   */
  recoveryWorkers?: number
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
    /** present when the node was given an L1 and a rollup config */
    readonly sequencer: Sequencer | undefined,
    private readonly l1Tracker: L1Tracker | undefined,
    /** present when the node derives its safe head from L1 */
    readonly derivation: Derivation | undefined,
  ) {}

  static async start(parameters: StartNodeParameters): Promise<OplNode> {
    const config = NodeConfig.parse(parameters.config)
    const log = parameters.log ?? pino({ name: 'opl-node', level: config.logLevel })
    const genesis = parameters.genesis ?? withPaddedNonce(await readGenesisFile(config.genesis))
    const rollupConfig =
      parameters.rollupConfig ??
      (config.rollupConfig ? parseRollupConfig(JSON.parse(await readFile(config.rollupConfig, 'utf8'))) : undefined)
    const roles = rolesOf(config, rollupConfig)
    if (roles.derivation && rollupConfig?.altDa && !config.daServer) {
      throw new NodeConfigError('rollup.json has alt_da: derivation needs --da-server')
    }
    const backend = await LevelNodeBackend.open(config.dataDir)
    try {
      const genesisStateRoot = await recordedGenesisRoot(config.dataDir, genesis.spec)
      const engine = await Engine.create({
        config: { chainId: genesis.chainId },
        genesis: genesis.spec,
        backend,
        genesisStateRoot,
      })
      if (rollupConfig) assertSameChain(rollupConfig, genesis.chainId, bytesToHex(engine.genesis.hash()))
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
        roles.verifier ? undefined : new TxJournal(join(config.dataDir, 'transactions.rlp')),
        roles.verifier
          ? undefined
          : new SenderRecovery(
              genesis.chainId,
              parameters.recoveryWorkers ?? defaultRecoveryWorkers(),
              log.child({ part: 'txpool' }),
            ),
      )
      await pool.restoreJournal()
      const metrics = new NodeMetrics()
      const ctx: RpcContext = {
        ...(roles.verifier ? { sendRawTransaction: rawTransactionForwarder(config.sequencerHttp) } : {}),
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
        if (!roles.verifier) void pool.onNewHead().catch((err: unknown) => log.error({ err }, 'tx pool reset failed'))
      })
      store.onRewind((head, dropped) => {
        ctx.filters.onRewind(dropped)
        ctx.subscriptions.onRewind(dropped)
        metrics.rewinds.inc()
        log.warn(
          { head: Number(head.header.number), hash: head.hash, dropped: dropped.map((b) => b.hash) },
          'chain rewound: blocks dropped',
        )
        if (!roles.verifier) void reinject(pool, dropped, log)
      })
      pool.onAdd((hash) => {
        ctx.filters.onPendingTx(hash)
        ctx.subscriptions.onPendingTx(hash)
      })
      const dispatcher = new Dispatcher(allMethods, ctx, log.child({ part: 'rpc' }), {
        batchLimit: config.batchLimit,
        beforeBatch: (requests) => prefetchBatchSenders(ctx, requests),
        observe: (method, seconds, ok) =>
          metrics.rpcDuration.observe({ method: method in allMethods ? method : 'unknown', ok: String(ok) }, seconds),
      })
      const node: { current?: OplNode } = {}
      // verifier readiness: derivation reached the L1 head once since start (see readiness())
      let caughtUp = false
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
            '/readyz': async () => readiness(store, node.current?.derivation, roles.verifier ? caughtUp : undefined),
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
      let sequencer: Sequencer | undefined
      let l1Tracker: L1Tracker | undefined
      let derivation: Derivation | undefined
      if (config.l1Rpc && rollupConfig && (roles.sequencer || roles.verifier)) {
        // retryCount 0: the sequencer retries whole steps itself, never building on a half-fetched view of L1.
        const l1Client = createPublicClient({ transport: http(config.l1Rpc, { retryCount: 0 }) })
        const l1 = new ViemL1Source(l1Client)
        l1Tracker = new L1Tracker(l1, { intervalMs: config.l1PollIntervalMs, log: log.child({ part: 'l1' }) })
        if (roles.sequencer) {
          sequencer = new Sequencer({
            rollup: rollupConfig,
            config: {
              enabled: roles.sequencerEnabled,
              l1ConfDepth: config.sequencerL1Confs,
              l1BlobSchedule: config.l1BlobSchedule,
              maxBuildMs: config.sequencerMaxBuildMs,
            },
            engine,
            l1,
            l1Tracker,
            txSource: pool,
            blockSink: store,
            readHead: async () => {
              const head = await store.block(store.headNumber)
              if (!head) throw new NodeConfigError(`head block ${store.headNumber} missing from the store`)
              return head
            },
            ...(parameters.clock ? { now: parameters.clock } : {}),
            log: log.child({ part: 'sequencer' }),
            onCritical: (error) => metrics.sequencerCritical.inc({ error: error.name }),
          })
          ctx.sequencer = sequencer
        }
        l1Tracker.start()
        metrics.watchL1(l1Tracker)
        if (sequencer && roles.sequencerEnabled) await sequencer.start()
        if (roles.derivation) {
          const running = sequencer
          const chain = new StoreDerivationChain(rollupConfig, store, {
            // a derived block that replaces unsafe ones is built with the sequencer paused (one engine, one builder)
            ...(running ? { exclusive: pausing(running) } : {}),
          })
          const safe = store.label('safe')
          const finalized = store.label('finalized')
          derivation = new Derivation({
            rollup: rollupConfig,
            l1,
            l1Transactions: new ViemL1TransactionSource(l1Client),
            da: config.daServer ? new HttpDaSource({ url: config.daServer }) : undefined,
            chain,
            common: engine.common,
            blobBaseFeeUpdateFraction: blobBaseFeeUpdateFraction(config),
            safe: safe > 0n ? await chain.refOf(safe) : undefined,
            finalized: finalized > 0n ? await chain.refOf(finalized) : undefined,
            log: log.child({ part: 'derivation' }),
          })
          derivation.events.critical = (error) => metrics.derivationCritical.inc({ error: error.name })
          derivation.events.idle = () => {
            caughtUp = true
          }
          if (roles.verifier) ctx.sequencer = new VerifierControl(derivation, l1Tracker)
          derivation.start()
        }
      }
      log.info(
        {
          url: rpc.url,
          head: Number(store.headNumber),
          chainId: Number(genesis.chainId),
          sequencer: sequencer?.active() ?? false,
          mode: roles.verifier ? 'verifier' : roles.sequencer ? 'sequencer' : 'store only',
        },
        'node started',
      )
      // Only an optimization of the next start (which applies the alloc again without it): recorded once the node
      // serves, off the start's path (digesting the spec is ~0.1 s).
      if (!genesisStateRoot)
        setImmediate(() =>
          recordGenesisRoot(config.dataDir, genesis.spec, engine.genesis.stateRoot).catch((err) =>
            log.warn({ err }, 'genesis state root not recorded'),
          ),
        )
      node.current = new OplNode(
        config,
        log,
        engine,
        store,
        pool,
        rpc,
        metrics,
        ctx,
        backend,
        sequencer,
        l1Tracker,
        derivation,
      )
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

  /** Stops the sequencer after the block in progress (it is durable), then the RPC, then closes the database. */
  async stop(): Promise<void> {
    await this.derivation?.stop()
    if (this.sequencer?.active()) await this.sequencer.stop()
    this.l1Tracker?.stop()
    await this.rpc.close()
    await this.pool.close()
    await this.backend.close()
    this.log.info('node stopped')
  }
}

/**
 * After a rewind on a sequencing node: the pool re-checks nonces at the new head and takes back the user txs of the
 * dropped blocks (geth's pool reset on a reorg), so a tx the derived chain did not include is sequenced again rather
 * than lost; the ones it did include are pruned at the next head. Refusals (e.g. nonce too low) are expected and
 * ignored.
 */
async function reinject(pool: TxPool, dropped: readonly StoredBlock[], log: Logger): Promise<void> {
  try {
    await pool.onNewHead()
    let taken = 0
    for (const block of dropped) {
      for (const tx of block.transactions) {
        if (tx.kind === 'deposit') continue
        const added = await pool.add(tx.raw).then(
          () => true,
          () => false,
        )
        if (added) taken++
      }
    }
    log.info({ taken }, 'dropped txs back in the pool')
  } catch (err) {
    log.error({ err }, 'tx pool reset failed')
  }
}

type Roles = {
  /** a Sequencer is created (running from the start when `sequencerEnabled`, else on admin_startSequencer) */
  sequencer: boolean
  sequencerEnabled: boolean
  verifier: boolean
  derivation: boolean
}

/** What this node runs, from --mode and the --sequencer-enabled / --derivation-enabled switches; refuses mixes. */
function rolesOf(config: NodeConfig, rollup: RollupConfig | undefined): Roles {
  const mode = config.mode ?? (config.l1Rpc !== undefined ? 'sequencer' : undefined)
  if (mode === 'verifier') {
    if (!config.l1Rpc || !rollup) throw new NodeConfigError('--mode verifier needs --l1-rpc and --rollup-config')
    if (config.sequencerEnabled)
      throw new NodeConfigError('--mode verifier does not sequence: drop --sequencer-enabled')
    if (config.derivationEnabled === false) {
      throw new NodeConfigError('--mode verifier builds every block by derivation: drop --derivation-enabled false')
    }
    return { sequencer: false, sequencerEnabled: false, verifier: true, derivation: true }
  }
  if (config.sequencerHttp)
    throw new NodeConfigError('--sequencer-http is for --mode verifier (a sequencer has a pool)')
  if (mode === undefined) {
    if (config.sequencerEnabled || config.derivationEnabled) {
      throw new NodeConfigError('the sequencer needs --l1-rpc and --rollup-config')
    }
    return { sequencer: false, sequencerEnabled: false, verifier: false, derivation: false }
  }
  if (!config.l1Rpc || !rollup) throw new NodeConfigError('the sequencer needs --l1-rpc and --rollup-config')
  const sequencerEnabled = config.sequencerEnabled ?? true
  return {
    sequencer: true,
    sequencerEnabled,
    verifier: false,
    derivation: config.derivationEnabled ?? sequencerEnabled,
  }
}

/** `exclusive` for derivation on a sequencing node: stop the sequencer (after its block in progress), restart after. */
function pausing(sequencer: Sequencer) {
  return async <T>(write: () => Promise<T>): Promise<T> => {
    const wasActive = sequencer.active()
    if (wasActive) await sequencer.stop()
    try {
      return await write()
    } finally {
      if (wasActive) await sequencer.start()
    }
  }
}

/**
 * /readyz. A sequencer or plain node is ready once serving (200 `{head}`). A verifier is ready once its derivation
 * pipeline has caught up: it reached the L1 head (no next L1 block to read) at least once since start, and no critical
 * error stopped it; until then 503 with the heads, so a load balancer only sends reads to a synced verifier.
 */
async function readiness(
  store: ChainStore,
  derivation: Derivation | undefined,
  caughtUp: boolean | undefined,
): Promise<{ status: number; type: string; body: string }> {
  const heads = { head: Number(store.headNumber), safe: Number(store.label('safe')) }
  if (caughtUp === undefined) return { status: 200, type: 'application/json', body: JSON.stringify(heads) }
  const stopped = derivation?.criticalError
  const ready = caughtUp && !stopped
  const body = {
    ...heads,
    ready,
    currentL1: derivation?.currentL1 ? Number(derivation.currentL1.number) : null,
    ...(stopped ? { error: stopped.message } : !caughtUp ? { reason: 'deriving: not at the L1 head yet' } : {}),
  }
  return { status: ready ? 200 : 503, type: 'application/json', body: JSON.stringify(body) }
}

/** genesis.json spells the nonce as a quantity (`0x0`); the header field is 8 bytes. */
function withPaddedNonce<T extends { spec: GenesisSpec }>(genesis: T): T {
  const nonce = genesis.spec.nonce
  return nonce === undefined ? genesis : { ...genesis, spec: { ...genesis.spec, nonce: padHex(nonce, { size: 8 }) } }
}

/** rollup.json must describe the chain in genesis.json, or the sequencer would build another chain's blocks. */
function assertSameChain(rollup: RollupConfig, chainId: bigint, genesisHash: string): void {
  if (BigInt(rollup.l2ChainId) !== chainId) {
    throw new NodeConfigError(`rollup config l2_chain_id ${rollup.l2ChainId} differs from genesis chainId ${chainId}`)
  }
  if (rollup.genesis.l2.hash.toLowerCase() !== genesisHash.toLowerCase()) {
    throw new NodeConfigError(
      `rollup config genesis.l2.hash ${rollup.genesis.l2.hash} differs from the genesis block ${genesisHash}`,
    )
  }
}
