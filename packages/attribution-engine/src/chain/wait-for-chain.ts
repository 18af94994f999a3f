import type { Logger } from 'pino'
import type { Address, PublicClient } from 'viem'
import { ChainNotReadyError } from './errors.js'

/**
 * Waits, at start, until the L2 answers and `rewards` has code: a service started beside its chain (a devnet
 * starts it while the contracts' deploy txs are still in the pool, docker-compose beside the node) retries
 * instead of failing, as op-batcher and op-proposer wait for their RPCs. Any other failure is not waited on.
 * Resolves with the chain id.
 */
export async function waitForChain(args: {
  client: PublicClient
  rewards: Address
  waitMs: number
  log: Logger
  /** between attempts; default 200 ms */
  pauseMs?: number
}): Promise<number> {
  const deadline = performance.now() + args.waitMs
  let waiting: string | undefined
  for (;;) {
    let reason: string
    try {
      const [chainId, code] = await Promise.all([
        args.client.getChainId(),
        args.client.getCode({ address: args.rewards, blockTag: 'latest' }),
      ])
      if (code !== undefined && code !== '0x') {
        if (waiting) args.log.info({ rewards: args.rewards }, 'chain ready')
        return chainId
      }
      reason = 'AttributionRewards has no code yet'
    } catch (err) {
      reason = `L2 RPC not answering: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`
    }
    if (performance.now() >= deadline)
      throw new ChainNotReadyError(`chain not ready after ${args.waitMs} ms: ${reason}`, {
        rewards: args.rewards,
        waitMs: args.waitMs,
      })
    if (waiting !== reason) args.log.info({ rewards: args.rewards, reason }, 'waiting for the chain')
    waiting = reason
    await new Promise((r) => setTimeout(r, args.pauseMs ?? 200))
  }
}
