#!/usr/bin/env tsx
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { Command } from 'commander'
import pino from 'pino'
import { zeroAddress } from 'viem'
import { devAccounts } from './accounts.js'
import { startAnvil, withAutomine } from './anvil.js'
import { writeClientFiles } from './client-files.js'
import { contractsStale, markContractsBuilt } from './contracts-stale.js'
import { REPO_ROOT } from './deploy/artifacts.js'
import { deployL1 } from './deploy/deploy.js'
import {
  DEPLOYMENT_FILE,
  DEVNET_FILE,
  type DevnetJson,
  devnetContracts,
  GENESIS_FILE,
  ROLLUP_FILE,
  readDevnetFile,
  readRollupFile,
  writeGenesisFiles,
  writeJson,
} from './devnet-files.js'
import { devnetAttestor, fundDevnetAttestorOnL1 } from './fund-attestor.js'
import {
  completeL2Contracts,
  deployL2Contracts,
  type L2Contracts,
  planL2Contracts,
  sameL2Contracts,
} from './l2-contracts.js'
import { buildDevnetGenesis } from './l2-genesis.js'
import { serviceCommand } from './service-bundle.js'
import { type Service, type ServiceSpec, spawnService } from './services.js'
import { printSummary } from './summary.js'

/** Sub-directories of the data dir: the node's LevelDB, the DA server's blobs, the relayer's state. */
const L2_DIR = 'l2'
const DA_DIR = 'da'
const RELAYER_DIR = 'relayer'
const VERIFIER_DIR = 'verifier'
const ATTRIBUTION_DIR = 'attribution'
/** What belongs to one L2 chain: dropped with its genesis. */
const L2_STATE_DIRS = [L2_DIR, DA_DIR, RELAYER_DIR, VERIFIER_DIR]
/** The service CLIs, relative to the repo root. */
const SCRIPTS = {
  daServer: 'packages/da-server/src/cli.ts',
  node: 'packages/node/src/cli.ts',
  batcher: 'packages/batcher/src/cli.ts',
  proposer: 'packages/proposer/src/cli.ts',
  relayer: 'packages/bridge-relayer/src/cli.ts',
  attribution: 'packages/attribution-engine/src/cli.ts',
}

const env = process.env
const program = new Command('opl-devnet')
  .description('Starts the local OpenLedger L2 devnet and writes devnet.json when it is ready')
  .option(
    '--data-dir <dir>',
    'data directory (devnet.json, genesis.json, rollup.json, L1 state)',
    env.OPL_DEVNET_DATA_DIR ?? '.devnet',
  )
  .option('--fresh', 'start from an empty data directory', false)
  .option('--l1-port <port>', 'L1 JSON-RPC port', env.OPL_DEVNET_L1_PORT ?? '8545')
  .option('--l1-chain-id <id>', 'L1 chain id', env.OPL_DEVNET_L1_CHAIN_ID ?? '900')
  .option('--l1-block-time <s>', 'L1 block time in seconds', env.OPL_DEVNET_L1_BLOCK_TIME ?? '1')
  .option('--l2-chain-id <id>', 'L2 chain id', env.OPL_DEVNET_L2_CHAIN_ID ?? '901')
  .option(
    '--l2-block-time <s>',
    'L2 block time in seconds, at most the L1 block time',
    env.OPL_DEVNET_L2_BLOCK_TIME ?? '1',
  )
  .option('--l2-port <port>', 'L2 JSON-RPC (HTTP + WS) port of the sequencer node', env.OPL_DEVNET_L2_PORT ?? '9545')
  .option('--da-port <port>', 'DA server port (eigenda-proxy protocol)', env.OPL_DEVNET_DA_PORT ?? '3100')
  .option('--batcher-port <port>', 'batcher /healthz + /metrics port', env.OPL_DEVNET_BATCHER_PORT ?? '7300')
  .option('--proposer-port <port>', 'proposer /healthz + /metrics port', env.OPL_DEVNET_PROPOSER_PORT ?? '7302')
  .option(
    '--relayer-port <port>',
    'bridge relayer status API (+ /healthz, /metrics) port',
    env.OPL_DEVNET_RELAYER_PORT ?? '7310',
  )
  .option(
    '--verifier',
    "also start a verifier node: derives every block from L1 + DA alone, its hashes must equal the sequencer's",
    env.OPL_DEVNET_VERIFIER === 'true',
  )
  .option(
    '--no-attribution',
    'do not start the attribution service (it settles every paid inference as the devnet attestor)',
  )
  .option('--attribution-port <port>', 'attribution service HTTP API port', env.OPL_DEVNET_ATTRIBUTION_PORT ?? '8547')
  .option(
    '--demo',
    'seed a Datanet, approved contributions, a large and a small model and paid, attributed inferences',
    env.OPL_DEVNET_DEMO === 'true',
  )
  .option('--verifier-port <port>', 'verifier node JSON-RPC port', env.OPL_DEVNET_VERIFIER_PORT ?? '9546')
  .option(
    '--propose-from <head>',
    'L2 head the proposer posts outputs up to: safe (devnet default) or finalized (op-proposer default)',
    env.OPL_DEVNET_PROPOSE_FROM ?? 'safe',
  )
  .option(
    '--relay <who>',
    'whose withdrawals the relayer proves and finalizes: all, or comma-separated L2 addresses (others are only tracked)',
    env.OPL_DEVNET_RELAY ?? 'all',
  )
  // Both defaults are op-e2e's (op-e2e/system/e2esys/setup.go in ethereum-optimism/optimism: the batcher's
  // MaxChannelDuration 1, the sequencer's driver.Config SequencerConfDepth 0): a devnet L1 does not reorg on its own,
  // so a deposit is credited in the first L2 block whose time reaches its L1 block, and an L2 block is batched in the
  // next L1 block, which is what makes it safe, then provable.
  .option(
    '--max-channel-duration <n>',
    'L1 blocks the batcher keeps a channel open (op-batcher default 10; op-e2e and this devnet 1)',
    env.OPL_DEVNET_MAX_CHANNEL_DURATION ?? '1',
  )
  .option(
    '--sequencer-l1-confs <n>',
    'L1 blocks an origin must be buried under (op-node default 4; op-e2e and this devnet 0)',
    env.OPL_DEVNET_SEQUENCER_L1_CONFS ?? '0',
  )
  .option('--submission-interval <n>', 'L2 blocks per output proposal', env.OPL_DEVNET_SUBMISSION_INTERVAL ?? '10')
  .option(
    '--finalization-period <s>',
    'withdrawal finalization period in seconds',
    env.OPL_DEVNET_FINALIZATION_PERIOD ?? '12',
  )
  .parse()

const opts = program.opts<
  Record<string, string> & { fresh: boolean; verifier: boolean; attribution: boolean; demo: boolean }
>()
if (opts.demo && !opts.attribution) {
  console.error('opl-devnet: --demo needs the attribution service (drop --no-attribution)')
  process.exit(2)
}
// An L2 block moves its L1 origin by at most one block: with L2 blocks rarer than L1 blocks the origin falls further
// behind L1 every block, and deposits wait longer and longer to be included.
if (Number(opts.l2BlockTime) > Number(opts.l1BlockTime)) {
  console.error(
    `opl-devnet: --l2-block-time (${opts.l2BlockTime}) must not exceed --l1-block-time (${opts.l1BlockTime}): ` +
      'the L2 could not keep up with L1 origins and deposits would be delayed without bound',
  )
  process.exit(2)
}
if (opts.proposeFrom !== 'safe' && opts.proposeFrom !== 'finalized') {
  console.error(`opl-devnet: --propose-from must be safe or finalized, not ${opts.proposeFrom}`)
  process.exit(2)
}
const log = pino({ name: 'devnet' })
const dataDir = resolve(opts.dataDir!)
if (opts.fresh) rmSync(dataDir, { recursive: true, force: true })
mkdirSync(dataDir, { recursive: true })
const accounts = devAccounts()
const l1ChainId = Number(opts.l1ChainId)

if (contractsStale(REPO_ROOT)) {
  log.info('compiling contracts')
  const r = spawnSync('hardhat', ['build', '--quiet'], { cwd: REPO_ROOT, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
  markContractsBuilt(REPO_ROOT)
}

const started = performance.now()
const statePath = join(dataDir, 'l1-state.json')
const resuming = existsSync(statePath)
const logs = join(dataDir, 'logs')
mkdirSync(logs, { recursive: true })
// A fresh L1 means a new L2 genesis: the blocks, batches and records of another chain go now, so the DA server can
// start at once instead of after the deploy.
if (!resuming) for (const sub of L2_STATE_DIRS) rmSync(join(dataDir, sub), { recursive: true, force: true })
const l2Rpc = `http://127.0.0.1:${opts.l2Port}`
const daServer = `http://127.0.0.1:${opts.daPort}`
const relayerApi = `http://127.0.0.1:${opts.relayerPort}`
const verifierRpc = opts.verifier ? `http://127.0.0.1:${opts.verifierPort}` : undefined
const attributionApi = opts.attribution ? `http://127.0.0.1:${opts.attributionPort}` : undefined
// Bundles are checked (and built when stale) while anvil starts and L1 deploys.
const wanted = [SCRIPTS.daServer, SCRIPTS.node, SCRIPTS.batcher, SCRIPTS.proposer, SCRIPTS.relayer]
if (opts.attribution) wanted.push(SCRIPTS.attribution)
for (const script of wanted) void serviceCommand(script).catch(() => undefined)

log.info({ port: opts.l1Port, chainId: l1ChainId, resuming }, 'starting L1 (anvil)')
const anvil = await startAnvil({
  port: Number(opts.l1Port),
  chainId: l1ChainId,
  blockTime: Number(opts.l1BlockTime),
  statePath,
  detached: true,
})
type Started = Service & { healthy: Promise<void> }
const services: Started[] = []
let stopping = false
/**
 * Stops every child and anvil, each service given time to finish its work in progress; false when a service did not
 * stop cleanly (exit code other than 0, or killed).
 */
async function stopAll(): Promise<boolean> {
  let clean = true
  const stop = async (service: Service) => {
    // The batcher drains: it closes its channel and waits for the frames to land on L1 (op-batcher's stop).
    const result = await service.stop(service.name === 'opl-batcher' ? 60_000 : undefined)
    if (result !== 0) clean = false
    log[result === 0 ? 'info' : 'warn']({ service: service.name, pid: service.pid, exit: result }, 'stopped')
  }
  // Nothing depends on the outer services: they stop together; then the batcher (needs the node, the DA server and
  // L1 while it drains), the node, the DA server, and anvil last (it dumps its state).
  const ordered = ['opl-batcher', 'opl-node', 'opl-da-server']
  await Promise.all(services.filter((s) => !ordered.includes(s.name)).map(stop))
  for (const name of ordered) for (const service of services.filter((s) => s.name === name)) await stop(service)
  await anvil.stop()
  return clean
}
/** Spawns a service and keeps it for `stopAll` at once; its health check runs on (`healthy`). */
async function launch(spec: ServiceSpec): Promise<Started> {
  const service = await spawnService(spec)
  services.push(service)
  if (stopping) void service.stop()
  service.healthy.then(
    () => log.info({ service: service.name, pid: service.pid }, `${service.name} healthy`),
    () => undefined,
  )
  return service
}
const shutdown = async (signal: string) => {
  if (stopping) return
  stopping = true
  log.info({ signal }, 'stopping')
  // non-zero when a service did not stop cleanly: scripts and tests that stop the devnet see it
  process.exit((await stopAll()) ? 0 : 1)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))

try {
  const daSpec: ServiceSpec = {
    name: 'opl-da-server',
    script: SCRIPTS.daServer,
    args: ['--data-dir', join(dataDir, DA_DIR), '--port', opts.daPort!],
    health: { url: `${daServer}/health` },
    logFile: join(logs, 'da-server.log'),
  }
  let da = launch(daSpec)
  // Idempotent: on a resumed L1 it finds every contract in place, sends nothing and reads the deployment back.
  // A fresh L1 deploys on automine (26 dependent txs in ~1 s instead of one per L1 block), then mines on its interval
  // once the L2, which starts at l1Genesis, can keep up with the blocks mined after it.
  const deployment = await withAutomine(
    anvil,
    Number(opts.l1BlockTime),
    async () => {
      const deployed = await deployL1(
        {
          l1Rpc: anvil.rpc,
          l1ChainId,
          deployerKey: accounts.deployer.privateKey,
          l2ChainId: Number(opts.l2ChainId),
          batcher: accounts.batcher.address,
          proposer: accounts.proposer.address,
          unsafeBlockSigner: accounts.sequencer.address,
          l2BlockTime: Number(opts.l2BlockTime),
          submissionInterval: Number(opts.submissionInterval),
          finalizationPeriodSeconds: Number(opts.finalizationPeriod),
        },
        { log, onProgress: (p) => log.info({ progress: `${p.step}/${p.total}` }, p.message) },
      )
      if (deployed.transactions > 0)
        await fundDevnetAttestorOnL1({
          l1Rpc: anvil.rpc,
          chainId: l1ChainId,
          deployerKey: accounts.deployer.privateKey,
          open: deployed.contracts.OPEN,
        })
      return deployed
    },
    (deployed) => deployed.l1Genesis,
  )
  log.info({ ms: deployment.durationMs, transactions: deployment.transactions }, 'L1 contracts ready')

  // The L2 chain's identity is its genesis: keep the files of a previous run as long as they belong to this L1.
  let rollup = readRollupFile(dataDir)
  const freshL2 = rollup?.genesis.l1.hash !== deployment.l1Genesis.hash
  if (freshL2 && resuming) {
    // A resumed L1 with another chain's files (rare: rollup.json of another L1): the DA server's blobs go too.
    const stale = await da
    await stale.stop()
    services.splice(services.indexOf(stale), 1)
    for (const sub of L2_STATE_DIRS) rmSync(join(dataDir, sub), { recursive: true, force: true })
    da = launch(daSpec)
  }
  // A fresh L2's contract deploy is signed now (deployer nonce 0) and sent the moment the node answers. With its
  // addresses, or a resumed run's, the attribution service starts at once: its start overlaps the genesis build and
  // the node's, and it waits for the L2 and AttributionRewards' code (--chain-wait-ms).
  const previous = readDevnetFile(dataDir)?.contracts.l2
  const l2ChainId = rollup && !freshL2 ? rollup.l2ChainId : Number(opts.l2ChainId)
  const deployOptions = {
    chainId: l2ChainId,
    deployerKey: accounts.deployer.privateKey,
    l1Open: deployment.contracts.OPEN,
    attestor: devnetAttestor(),
  }
  const plan = freshL2 ? await planL2Contracts({ ...deployOptions, nonce: 0 }) : undefined
  const launchAttribution = async (l2Contracts: L2Contracts): Promise<Started> => {
    // Its own copy of what devnet.json will say (devnet.json itself is written at ready); it bonds the devnet attestor
    // in the background (its /readyz says "bonding" until then).
    const input = join(dataDir, ATTRIBUTION_DIR, DEVNET_FILE)
    mkdirSync(dirname(input), { recursive: true })
    const { l1 } = devnetContracts(deployment)
    writeJson(input, {
      l1: { rpc: anvil.rpc, chainId: l1ChainId },
      l2: { rpc: l2Rpc, chainId: l2ChainId },
      daServer,
      contracts: { l1, l2: l2Contracts },
      accounts,
    })
    return launch({
      name: 'opl-attribution',
      script: SCRIPTS.attribution,
      args: [
        ...['serve', '--devnet', input, '--index-dir', join(dataDir, ATTRIBUTION_DIR)],
        ...['--port', opts.attributionPort!],
        // it starts before the node: on a loaded machine the genesis and the node's start can outlast the default 30 s;
        // the devnet gives every service 120 s to become healthy
        ...['--chain-wait-ms', '120000'],
      ],
      health: { url: `${attributionApi}/healthz` },
      logFile: join(logs, 'attribution.log'),
    })
  }
  const expected = plan?.contracts ?? completeL2Contracts(previous)
  let attribution = attributionApi && expected ? await launchAttribution(expected) : undefined

  if (rollup?.genesis.l1.hash !== deployment.l1Genesis.hash) {
    const built = await buildDevnetGenesis(deployment, {
      seqWindowSize: 200,
      channelTimeout: 120,
      altDa: {
        commitmentType: 'GenericCommitment',
        challengeContractAddress: zeroAddress,
        challengeWindow: 160n,
        resolveWindow: 160n,
      },
    })
    rollup = built.rollup
    writeGenesisFiles(dataDir, built.genesis.genesis, built.rollup)
    log.info({ ms: built.buildMs, hash: built.genesis.hash, stateRoot: built.genesis.stateRoot }, 'L2 genesis written')
  } else log.info({ hash: rollup.genesis.l2.hash }, 'resuming: L2 genesis kept')
  writeJson(join(dataDir, DEPLOYMENT_FILE), deployment)

  // Every service whose inputs now exist starts at once; the batcher, the proposer and the relayer retry the L2 until
  // the node answers (their health is a successful pass, so "healthy" still means "working against the node").
  const node = await launch({
    name: 'opl-node',
    script: SCRIPTS.node,
    args: [
      ...['--data-dir', join(dataDir, L2_DIR), '--genesis', join(dataDir, GENESIS_FILE)],
      ...['--rollup-config', join(dataDir, ROLLUP_FILE), '--l1-rpc', anvil.rpc, '--http-port', opts.l2Port!],
      ...['--sequencer-l1-confs', opts.sequencerL1Confs!, '--da-server', daServer],
    ],
    health: { url: `${l2Rpc}/healthz` },
    logFile: join(logs, 'node.log'),
  })
  const others = await Promise.all([
    launch({
      name: 'opl-batcher',
      script: SCRIPTS.batcher,
      args: [
        ...['--l1-rpc', anvil.rpc, '--l2-rpc', l2Rpc, '--rollup-rpc', l2Rpc, '--da-server', daServer],
        ...['--rollup-config', join(dataDir, ROLLUP_FILE), '--metrics-port', opts.batcherPort!],
        // op-e2e polls every 50 ms; 250 ms finds a closed channel soon enough on 2 shared cores.
        ...['--max-channel-duration', opts.maxChannelDuration!, '--poll-interval-ms', '250'],
      ],
      // keys by env, not argv: argv is world-readable in ps
      env: { OPL_BATCHER_PRIVATE_KEY: accounts.batcher.privateKey },
      health: { url: `http://127.0.0.1:${opts.batcherPort}/healthz` },
      logFile: join(logs, 'batcher.log'),
    }),
    launch({
      name: 'opl-proposer',
      script: SCRIPTS.proposer,
      args: [
        ...['--l1-rpc', anvil.rpc, '--l2-rpc', l2Rpc, '--rollup-rpc', l2Rpc],
        ...['--l2-output-oracle', deployment.contracts.L2OutputOracle, '--metrics-port', opts.proposerPort!],
        // 500 ms, as op-e2e's proposer (and the relayer below): an output goes out within a poll of the safe head.
        ...['--allow-non-finalized', String(opts.proposeFrom === 'safe'), '--poll-interval-ms', '500'],
        // a fresh devnet's L2 starts behind the clock and catches up in seconds: post its backlog of outputs together
        ...['--max-proposals-per-step', '16'],
      ],
      env: { OPL_PROPOSER_PRIVATE_KEY: accounts.proposer.privateKey },
      health: { url: `http://127.0.0.1:${opts.proposerPort}/healthz` },
      logFile: join(logs, 'proposer.log'),
    }),
    launch({
      name: 'opl-relayer',
      script: SCRIPTS.relayer,
      args: [
        ...['--l1-rpc', anvil.rpc, '--l2-rpc', l2Rpc, '--data-dir', join(dataDir, RELAYER_DIR)],
        ...['--optimism-portal', deployment.contracts.OptimismPortal],
        ...['--l2-output-oracle', deployment.contracts.L2OutputOracle, '--relay', opts.relay!],
        ...['--l1-start-block', String(deployment.l1Genesis.number), '--api-port', opts.relayerPort!],
        ...['--poll-interval-ms', '500'],
      ],
      env: { OPL_RELAYER_PRIVATE_KEY: accounts.relayer.privateKey },
      health: { url: `${relayerApi}/healthz` },
      logFile: join(logs, 'relayer.log'),
    }),
    ...(verifierRpc
      ? [
          launch({
            name: 'opl-node-verifier',
            script: SCRIPTS.node,
            args: [
              ...['--mode', 'verifier', '--data-dir', join(dataDir, VERIFIER_DIR)],
              ...['--genesis', join(dataDir, GENESIS_FILE), '--rollup-config', join(dataDir, ROLLUP_FILE)],
              ...['--l1-rpc', anvil.rpc, '--da-server', daServer, '--http-port', opts.verifierPort!],
              ...['--sequencer-http', l2Rpc],
            ],
            health: { url: `${verifierRpc}/healthz` },
            logFile: join(logs, 'verifier.log'),
          }),
        ]
      : []),
  ])

  await node.healthy
  const l2 = await deployL2Contracts({ ...deployOptions, rpc: l2Rpc, previous, plan })
  const l2Mined = l2.mined.then(() =>
    log.info({ transactions: l2.transactions, ...l2.contracts }, 'L2 contracts ready'),
  )
  l2Mined.catch(() => undefined)
  if (attribution && !sameL2Contracts(expected!, l2.contracts)) {
    // a resumed run whose L2 lost the contracts devnet.json named: they were deployed again elsewhere
    log.warn({ expected, deployed: l2.contracts }, 'L2 contracts moved: restarting opl-attribution')
    await attribution.stop()
    services.splice(services.indexOf(attribution), 1)
    attribution = undefined
  }
  if (attributionApi && !attribution) attribution = await launchAttribution(l2.contracts)
  if (attribution) others.push(attribution)
  const info: DevnetJson & { l2: { rpc: string; ws: string } } = {
    l1: { rpc: anvil.rpc, chainId: l1ChainId },
    l2: { rpc: l2Rpc, ws: l2Rpc.replace(/^http/, 'ws'), chainId: l2ChainId, ...(verifierRpc ? { verifierRpc } : {}) },
    rollupRpc: l2Rpc,
    daServer,
    relayerApi,
    ...(attributionApi ? { attributionApi } : {}),
    l1Genesis: deployment.l1Genesis,
    l2Genesis: { hash: rollup.genesis.l2.hash, time: Number(rollup.genesis.l2Time) },
    contracts: { l1: devnetContracts(deployment).l1, l2: { ...devnetContracts(deployment).l2, ...l2.contracts } },
    accounts,
  }
  await Promise.all([l2Mined, ...[await da, ...others].map((s) => s.healthy)])
  if (opts.demo) {
    log.info('seeding the demo: waiting for the attestor bond, then Datanet, contributions, models, paid inferences')
    const { seedAttributionDemo } = await import('./demo.js')
    const demo = await seedAttributionDemo({ devnet: info, attributionApi: attributionApi!, log })
    log.info({ datanetId: demo.datanetId, models: demo.models, inferences: demo.inferences.length }, 'demo seeded')
  }
  writeJson(join(dataDir, DEVNET_FILE), info)
  writeClientFiles(dataDir, info)
  printSummary(info, dataDir)
  console.log(`devnet ready in ${((performance.now() - started) / 1000).toFixed(1)}s — Ctrl-C to stop`)
} catch (error) {
  log.error({ err: error }, 'devnet failed to start')
  if (!stopping) await stopAll()
  process.exit(1)
}
