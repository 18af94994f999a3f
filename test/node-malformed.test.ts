import { type Hex, parseGwei } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { TEST_ADDRESSES, TEST_KEYS } from '../packages/node/src/engine/testing/fixtures.js'
import { removeDir, startTestNode, tempDir } from '../packages/node/src/engine/testing/node-harness.js'
import { TEST_CHAIN_ID } from '../packages/node/src/engine/testing/test-engine.js'
import type { OplNode } from '../packages/node/src/node.js'

describe('malformed JSON-RPC gets the right error and the server keeps serving', () => {
  let dir: string
  let node: OplNode
  beforeAll(async () => {
    dir = await tempDir()
    node = await startTestNode(dir, { maxBodyBytes: 64 * 1024, batchLimit: 10 })
  })
  afterAll(async () => {
    await node?.stop()
    await removeDir(dir)
  })

  const post = async (body: string) => {
    const res = await fetch(node.rpc.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    return {
      status: res.status,
      json: (await res.json()) as Record<string, unknown> & { error?: { code: number; message: string } },
    }
  }
  const call = (method: string, params: unknown[]) => post(JSON.stringify({ jsonrpc: '2.0', id: 7, method, params }))
  const alive = async () => expect((await call('eth_blockNumber', [])).json.result).toBe('0x0')

  const account = privateKeyToAccount(TEST_KEYS[0]!)
  const sign = (overrides: Record<string, unknown>) =>
    account.signTransaction({
      chainId: Number(TEST_CHAIN_ID),
      type: 'eip1559',
      to: TEST_ADDRESSES[1]!,
      value: 1n,
      nonce: 0,
      gas: 21_000n,
      maxFeePerGas: parseGwei('2'),
      maxPriorityFeePerGas: 1n,
      ...overrides,
    } as Parameters<typeof account.signTransaction>[0])

  test('parse error, invalid request, unknown method, wrong params', async () => {
    expect((await post('{"jsonrpc":"2.0","id":1,"method":')).json.error?.code).toBe(-32700)
    expect((await post('{"jsonrpc":"1.0","id":1,"method":"eth_blockNumber"}')).json.error?.code).toBe(-32600)
    expect((await post('42')).json.error?.code).toBe(-32600)
    expect((await call('eth_noSuchMethod', [])).json.error).toEqual({
      code: -32601,
      message: 'the method eth_noSuchMethod does not exist/is not available',
    })
    expect((await call('eth_getBalance', ['0x1234'])).json.error?.code).toBe(-32602)
    expect((await call('eth_getBlockByNumber', ['latest', 'yes'])).json.error?.code).toBe(-32602)
    expect((await call('eth_blockNumber', [1, 2])).json.error?.code).toBe(-32602)
    expect((await call('__proto__', [])).json.error?.code).toBe(-32601)
    await alive()
  })

  test('oversize body and oversize batch are refused; a mixed batch answers each entry', async () => {
    const big = await post(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ data: `0x${'00'.repeat(70_000)}` }] }),
    )
    expect(big.status).toBe(413)
    expect(big.json.error?.code).toBe(-32600)
    const batch = Array.from({ length: 11 }, (_, id) => ({ jsonrpc: '2.0', id, method: 'eth_chainId', params: [] }))
    expect((await post(JSON.stringify(batch))).json.error?.code).toBe(-32600)
    const mixed = (
      await post(
        JSON.stringify([
          { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
          { jsonrpc: '2.0', id: 2, method: 'nope', params: [] },
          { bad: true },
        ]),
      )
    ).json as unknown as { id: number | null; result?: string; error?: { code: number } }[]
    expect(mixed.map((r) => r.result ?? r.error?.code)).toEqual([`0x${TEST_CHAIN_ID.toString(16)}`, -32601, -32600])
    await alive()
  })

  test('invalid transactions get geth messages as -32000 and nothing is pooled', async () => {
    const reject = async (raw: Hex, message: string) => {
      const { json } = await call('eth_sendRawTransaction', [raw])
      expect(json.error?.code).toBe(-32000)
      expect(json.error?.message.slice(0, message.length)).toBe(message)
    }
    await reject(await sign({ gas: 20_000n }), 'intrinsic gas too low')
    await reject(await sign({ gas: 40_000_000n }), 'exceeds block gas limit')
    await reject(await sign({ value: 10n ** 24n }), 'insufficient funds for gas * price + value')
    await reject(await sign({ chainId: 1 }), 'invalid sender')
    await reject('0x7e00', 'transaction type not supported')
    await reject('0x02c0', 'invalid transaction encoding')
    const ok = await sign({})
    expect((await call('eth_sendRawTransaction', [ok])).json.result).toMatch(/^0x[0-9a-f]{64}$/)
    await reject(ok, 'already known')
    await reject(
      await sign({ maxFeePerGas: parseGwei('2.1'), maxPriorityFeePerGas: 1n }),
      'replacement transaction underpriced',
    )
    const bumped = await sign({ maxFeePerGas: parseGwei('2.2'), maxPriorityFeePerGas: 2n })
    expect((await call('eth_sendRawTransaction', [bumped])).json.result).toMatch(/^0x/)
    expect((await call('txpool_status', [])).json.result).toEqual({ pending: '0x1', queued: '0x0' })
    // a future nonce is queued, not pending
    expect((await call('eth_sendRawTransaction', [await sign({ nonce: 5 })])).json.result).toMatch(/^0x/)
    expect((await call('txpool_status', [])).json.result).toEqual({ pending: '0x1', queued: '0x1' })
    await alive()
  })
})
