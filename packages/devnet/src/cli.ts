#!/usr/bin/env tsx
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Command } from 'commander'
import pino from 'pino'
import { zeroAddress } from 'viem'
import { devAccounts } from './accounts.js'
import { startAnvil } from './anvil.js'
import { REPO_ROOT } from './deploy/artifacts.js'
import { deployL1 } from './deploy/deploy.js'
import {
  DEPLOYMENT_FILE,
  DEVNET_FILE,
  type DevnetJson,
  devnetContracts,
  readRollupFile,
  writeGenesisFiles,
  writeJson,
} from './devnet-files.js'
import { buildDevnetGenesis } from './l2-genesis.js'

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
  .option('--l2-block-time <s>', 'L2 block time in seconds', env.OPL_DEVNET_L2_BLOCK_TIME ?? '2')
  .option('--submission-interval <n>', 'L2 blocks per output proposal', env.OPL_DEVNET_SUBMISSION_INTERVAL ?? '10')
  .option(
    '--finalization-period <s>',
    'withdrawal finalization period in seconds',
    env.OPL_DEVNET_FINALIZATION_PERIOD ?? '12',
  )
  .parse()

const opts = program.opts<Record<string, string> & { fresh: boolean }>()
const log = pino({ name: 'devnet' })
const dataDir = resolve(opts.dataDir!)
if (opts.fresh) rmSync(dataDir, { recursive: true, force: true })
mkdirSync(dataDir, { recursive: true })
const accounts = devAccounts()
const l1ChainId = Number(opts.l1ChainId)

if (!existsSync(join(REPO_ROOT, 'artifacts', 'contracts'))) {
  log.info('compiling contracts')
  const r = spawnSync('hardhat', ['build', '--quiet'], { cwd: REPO_ROOT, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

const started = performance.now()
const statePath = join(dataDir, 'l1-state.json')
const resuming = existsSync(statePath)
log.info({ port: opts.l1Port, chainId: l1ChainId, resuming }, 'starting L1 (anvil)')
const anvil = await startAnvil({
  port: Number(opts.l1Port),
  chainId: l1ChainId,
  blockTime: Number(opts.l1BlockTime),
  statePath,
})
let stopping = false
const shutdown = async (signal: string) => {
  if (stopping) return
  stopping = true
  log.info({ signal }, 'stopping')
  await anvil.stop()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))

try {
  // Idempotent: on a resumed L1 it finds every contract in place, sends nothing and reads the deployment back.
  const deployment = await deployL1(
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
  log.info({ ms: deployment.durationMs, transactions: deployment.transactions }, 'L1 contracts ready')

  // The L2 chain's identity is its genesis: keep the files of a previous run as long as they belong to this L1.
  let rollup = readRollupFile(dataDir)
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
  const info: DevnetJson = {
    l1: { rpc: anvil.rpc, chainId: l1ChainId },
    l2: { chainId: rollup.l2ChainId },
    l1Genesis: deployment.l1Genesis,
    l2Genesis: { hash: rollup.genesis.l2.hash, time: Number(rollup.genesis.l2Time) },
    contracts: devnetContracts(deployment),
    accounts,
  }
  writeJson(join(dataDir, DEVNET_FILE), info)
  console.log(`L1 JSON-RPC  ${anvil.rpc} (chain id ${l1ChainId})`)
  console.log(`Portal       ${deployment.contracts.OptimismPortal}`)
  console.log(`OPEN (L1)    ${deployment.contracts.OPEN}`)
  console.log(`L2 genesis   ${rollup.genesis.l2.hash} (chain id ${rollup.l2ChainId})`)
  console.log(`devnet.json  ${join(dataDir, DEVNET_FILE)}`)
  console.log(`devnet ready in ${((performance.now() - started) / 1000).toFixed(1)}s — Ctrl-C to stop`)
} catch (error) {
  log.error({ err: error }, 'devnet failed to start')
  await anvil.stop()
  process.exit(1)
}
