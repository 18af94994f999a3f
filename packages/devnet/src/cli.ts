#!/usr/bin/env tsx
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Command } from 'commander'
import pino from 'pino'
import { createPublicClient, createWalletClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { devAccounts } from './accounts.js'
import { startAnvil } from './anvil.js'
import { readOwnArtifact } from './artifacts.js'

const repoRoot = resolve(import.meta.dirname, '../../..')

const program = new Command('opl-devnet')
  .description('Starts the local OpenLedger L2 devnet and writes devnet.json when it is ready')
  .option('--data-dir <dir>', 'data directory (devnet.json, L1 state)', process.env.OPL_DEVNET_DATA_DIR ?? '.devnet')
  .option('--fresh', 'start from an empty data directory', false)
  .option('--l1-port <port>', 'L1 JSON-RPC port', process.env.OPL_DEVNET_L1_PORT ?? '8545')
  .option('--l1-chain-id <id>', 'L1 chain id', process.env.OPL_DEVNET_L1_CHAIN_ID ?? '900')
  .option('--l1-block-time <s>', 'L1 block time in seconds', process.env.OPL_DEVNET_L1_BLOCK_TIME ?? '1')
  .parse()

const opts = program.opts<{ dataDir: string; fresh: boolean; l1Port: string; l1ChainId: string; l1BlockTime: string }>()
const log = pino({ name: 'devnet' })
const dataDir = resolve(opts.dataDir)
if (opts.fresh) rmSync(dataDir, { recursive: true, force: true })
mkdirSync(dataDir, { recursive: true })
const devnetJson = join(dataDir, 'devnet.json')
const accounts = devAccounts()
const l1ChainId = Number(opts.l1ChainId)

if (!existsSync(join(repoRoot, 'artifacts', 'contracts'))) {
  log.info('compiling contracts')
  const r = spawnSync('hardhat', ['build', '--quiet'], { cwd: repoRoot, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

const started = Date.now()
log.info({ port: opts.l1Port, chainId: l1ChainId }, 'starting L1 (anvil)')
const anvil = await startAnvil({
  port: Number(opts.l1Port),
  chainId: l1ChainId,
  blockTime: Number(opts.l1BlockTime),
  statePath: join(dataDir, 'l1-state.json'),
})
const shutdown = async (signal: string) => {
  log.info({ signal }, 'stopping')
  await anvil.stop()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))

const l1 = createPublicClient({ transport: http(anvil.rpc) })
const previous = existsSync(devnetJson) ? JSON.parse(readFileSync(devnetJson, 'utf8')) : undefined
let open = previous?.contracts?.l1?.OPEN as `0x${string}` | undefined
if (open && (await l1.getCode({ address: open }))) {
  log.info({ OPEN: open }, 'resuming: L1 contracts found in the saved state')
} else {
  const artifact = readOwnArtifact(repoRoot, 'token/OpenToken.sol', 'OpenToken')
  const deployer = createWalletClient({
    account: privateKeyToAccount(accounts.deployer.privateKey),
    transport: http(anvil.rpc),
  })
  const hash = await deployer.deployContract({
    abi: artifact.abi,
    bytecode: artifact.bytecode,
    args: [accounts.deployer.address],
    chain: null,
  })
  const receipt = await l1.waitForTransactionReceipt({ hash, pollingInterval: 100 })
  open = receipt.contractAddress ?? undefined
  log.info({ OPEN: open }, 'deployed OPEN on L1')
}

const info = {
  l1: { rpc: anvil.rpc, chainId: l1ChainId },
  contracts: { l1: { OPEN: open }, l2: {} },
  accounts,
}
writeFileSync(devnetJson, `${JSON.stringify(info, null, 2)}\n`)
console.log(`L1 JSON-RPC  ${anvil.rpc} (chain id ${l1ChainId})`)
console.log(`OPEN (L1)    ${open}`)
console.log(`devnet.json  ${devnetJson}`)
console.log(`devnet ready in ${((Date.now() - started) / 1000).toFixed(1)}s — Ctrl-C to stop`)
