import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export type AnvilOptions = {
  port: number
  host?: string
  chainId: number
  blockTime?: number
  /** anvil --state: loads the file at start and dumps to it on exit, so a second run resumes. */
  statePath?: string
  hardfork?: string
  /** anvil --init: a geth genesis.json to start from. */
  init?: string
  /** Further anvil flags (e.g. `--accounts 0`). */
  args?: string[]
  /**
   * Run in its own process group, so a terminal's Ctrl-C reaches only the parent, which stops anvil after the
   * services that still need L1 (the devnet). A parent killed with SIGKILL then leaves anvil running.
   */
  detached?: boolean
}

export type Anvil = { rpc: string; process: ChildProcess; stop(): Promise<void> }

export class AnvilStartError extends Error {
  override name = 'AnvilStartError'
}

/** Path of the anvil binary shipped in the npm platform package (nothing is downloaded). */
export function anvilBinary(): string {
  const require = createRequire(import.meta.url)
  const pkg = `@foundry-rs/anvil-${process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}`
  // Resolve through @foundry-rs/anvil, which lists the platform packages as optional dependencies.
  const wrapper = dirname(require.resolve('@foundry-rs/anvil/package.json'))
  return join(dirname(createRequire(join(wrapper, 'x.js')).resolve(`${pkg}/package.json`)), 'bin', 'anvil')
}

/** Starts anvil on loopback and resolves once its JSON-RPC answers. */
export async function startAnvil(opts: AnvilOptions): Promise<Anvil> {
  const host = opts.host ?? '127.0.0.1'
  const args = ['--host', host, '--port', String(opts.port), '--chain-id', String(opts.chainId), '--silent']
  if (opts.blockTime) args.push('--block-time', String(opts.blockTime))
  if (opts.statePath) args.push('--state', opts.statePath)
  if (opts.hardfork) args.push('--hardfork', opts.hardfork)
  if (opts.init) args.push('--init', opts.init)
  if (opts.args) args.push(...opts.args)
  const child = spawn(anvilBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'], detached: opts.detached ?? false })
  let stderr = ''
  child.stderr?.on('data', (d) => {
    stderr += d
  })
  const rpc = `http://${host}:${opts.port}`
  const deadline = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null) throw new AnvilStartError(`anvil exited with code ${child.exitCode}: ${stderr.trim()}`)
    try {
      const res = await fetch(rpc, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      })
      if (res.ok) break
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new AnvilStartError(`anvil did not answer on ${rpc} within 15 s`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    rpc,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        // SIGTERM lets anvil write its --state dump.
        child.kill('SIGTERM')
      }),
  }
}

async function anvilRpc<T = unknown>(rpc: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(rpc, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await res.json()) as { result: T; error?: { message: string } }
  if (body.error) throw new AnvilStartError(`${method}: ${body.error.message}`)
  return body.result
}

/**
 * Runs `work` with anvil mining each tx at once, then goes back to a block every `blockTime` s: a deploy of dozens of
 * dependent txs does not wait a block interval per step. Blocks mined meanwhile carry the wall-clock time, so the
 * L1 timeline does not run ahead of the clock.
 *
 * `l2Origin` names the L1 block the L2 chain starts from (read from `work`'s result). An L2 block moves its L1 origin
 * by one block at most, so with L2 blocks no faster than L1 blocks, every block mined faster than one per `blockTime`
 * after that origin would keep the L2 origin behind the L1 head — and every deposit late by that many blocks — for
 * the devnet's whole life. Interval mining therefore resumes (in the background) only once the clock has caught up
 * with the blocks mined since the origin.
 */
export async function withAutomine<T>(
  anvil: Anvil,
  blockTime: number,
  work: () => Promise<T>,
  l2Origin?: (result: T) => { number: number; timestamp: number },
): Promise<T> {
  await anvilRpc(anvil.rpc, 'evm_setAutomine', [true])
  let holdMs = 0
  try {
    const result = await work()
    if (l2Origin) holdMs = await miningHoldMs(anvil, blockTime, l2Origin(result))
    return result
  } finally {
    if (holdMs > 0) {
      await anvilRpc(anvil.rpc, 'evm_setAutomine', [false])
      // Nothing waits on this: if anvil is stopped first, the call fails and there is nothing left to mine.
      setTimeout(() => anvilRpc(anvil.rpc, 'evm_setIntervalMining', [blockTime]).catch(() => {}), holdMs).unref()
    } else await anvilRpc(anvil.rpc, 'evm_setIntervalMining', [blockTime])
  }
}

/** How long until `blockTime` s per block since `origin` covers the L1 head: 0 when the clock is already past it. */
async function miningHoldMs(
  anvil: Anvil,
  blockTime: number,
  origin: { number: number; timestamp: number },
): Promise<number> {
  const head = Number(await anvilRpc<string>(anvil.rpc, 'eth_blockNumber', []))
  const dueMs = (origin.timestamp + (head - origin.number) * blockTime) * 1000
  return Math.max(0, dueMs - Date.now())
}
