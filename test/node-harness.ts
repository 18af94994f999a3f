/** Shared by the test/node-*.test.ts files: the node sequencing on a test L1, in-process or as its CLI. */
import { join } from 'node:path'
import { freePort } from '../packages/devnet/src/ports.js'
import { type Service, startService } from '../packages/devnet/src/services.js'
import type { L1WithGenesis } from '../packages/devnet/src/testing.js'
import type { NodeConfigInput } from '../packages/node/src/config.js'
import { OplNode } from '../packages/node/src/node.js'

/**
 * OplNode in this process, sequencing on `chain` (conf depth 0, no fsync, silent), RPC on a random port; `extra`
 * adds config fields (e.g. `daServer`) and start parameters (e.g. a faster `clock`).
 */
export function startSequencingNode(
  chain: L1WithGenesis,
  dataDir: string,
  extra: { config?: Partial<NodeConfigInput>; clock?: () => number } = {},
): Promise<OplNode> {
  return OplNode.start({
    ...(extra.clock ? { clock: extra.clock } : {}),
    config: {
      dataDir,
      genesis: chain.genesisFile,
      rollupConfig: chain.rollupFile,
      l1Rpc: chain.anvil.rpc,
      httpPort: 0,
      sequencerL1Confs: 0n,
      syncWrites: false,
      logLevel: 'silent',
      ...extra.config,
    },
  })
}

/**
 * `opl-node` as a child process (files as flags, the rest as OPL_NODE_* env), healthy; its logs go to
 * `<dataDir>.log`.
 */
export async function startNodeProcess(
  chain: L1WithGenesis,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ node: Service; url: string }> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const node = await startService({
    name: 'opl-node',
    script: 'packages/node/src/cli.ts',
    args: ['--data-dir', dataDir, '--genesis', chain.genesisFile, '--rollup-config', chain.rollupFile],
    env: { OPL_NODE_L1_RPC: chain.anvil.rpc, OPL_NODE_HTTP_PORT: String(port), OPL_NODE_LOG_LEVEL: 'warn', ...env },
    health: { url: `${url}/healthz` },
    logFile: join(`${dataDir}.log`),
  })
  return { node, url }
}

/** Polls `probe` every 250 ms until it returns a value (errors count as "not yet"); throws after `tries` polls. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, tries = 720): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe().catch(() => undefined)
    if (value !== undefined) return value
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`timed out waiting for ${what}`)
}
