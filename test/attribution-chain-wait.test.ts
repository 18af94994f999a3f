/**
 * opl-attribution at start, beside a chain that is not there yet: it waits (--chain-wait-ms) for the L2 RPC to answer
 * and AttributionRewards to have code — the devnet starts it while the contracts' deploy txs are still pending —
 * and fails with a specific error when they do not come.
 */
import { createPublicClient, http, type PublicClient } from 'viem'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ChainNotReadyError } from '../packages/attribution-engine/src/chain/errors.js'
import { waitForChain } from '../packages/attribution-engine/src/chain/wait-for-chain.js'
import { type Anvil, startAnvil } from '../packages/devnet/src/anvil.js'
import { freePort } from '../packages/devnet/src/ports.js'

// records the service's log lines: one line per change of reason, not one per attempt
const lines: string[] = []
const log = { info: (_: unknown, msg: string) => lines.push(msg) } as unknown as Parameters<
  typeof waitForChain
>[0]['log']
const rewards = '0x00000000000000000000000000000000000a77e5' as const
let anvil: Anvil
let client: PublicClient

beforeAll(async () => {
  anvil = await startAnvil({ port: await freePort(), chainId: 4242 })
  client = createPublicClient({ transport: http(anvil.rpc) }) as PublicClient
})
afterAll(async () => {
  await anvil?.stop()
})

test('resolves with the chain id once AttributionRewards has code', async () => {
  const waiting = waitForChain({ client, rewards, waitMs: 20_000, log, pauseMs: 50 })
  let settled = false
  void waiting.finally(() => {
    settled = true
  })
  await new Promise((r) => setTimeout(r, 300))
  expect(settled).toBe(false)
  await client.request({ method: 'anvil_setCode' as 'eth_chainId', params: [rewards, '0x6001600055'] as never })
  expect(await waiting).toBe(4242)
  expect(lines).toEqual(['waiting for the chain', 'chain ready'])
})

test('a contract that never comes: ChainNotReadyError naming the reason after waitMs', async () => {
  const other = '0x00000000000000000000000000000000000b0b00' as const
  const error = await waitForChain({ client, rewards: other, waitMs: 300, log, pauseMs: 50 }).catch((e) => e)
  expect(error).toBeInstanceOf(ChainNotReadyError)
  expect(error.message).toBe('chain not ready after 300 ms: AttributionRewards has no code yet')
})

test('an RPC that does not answer: ChainNotReadyError with the transport error', async () => {
  const down = createPublicClient({ transport: http(`http://127.0.0.1:${await freePort()}`, { retryCount: 0 }) })
  const error = await waitForChain({ client: down as PublicClient, rewards, waitMs: 300, log, pauseMs: 50 }).catch(
    (e) => e,
  )
  expect(error).toBeInstanceOf(ChainNotReadyError)
  expect(error.message).toMatch(/^chain not ready after 300 ms: L2 RPC not answering: /)
})
