import { createRequire } from 'node:module'
import { encodeDeployData, encodeFunctionData, type Hex, parseAbi, parseGwei } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type Anvil, startAnvil } from '../packages/devnet/src/anvil.js'
import { freePort } from '../packages/devnet/src/ports.js'
import { TEST_ADDRESSES, TEST_KEYS } from '../packages/node/src/engine/testing/fixtures.js'
import { produceBlock, removeDir, startTestNode, tempDir } from '../packages/node/src/engine/testing/node-harness.js'
import { TEST_CHAIN_ID } from '../packages/node/src/engine/testing/test-engine.js'
import type { OplNode } from '../packages/node/src/node.js'

// Nested calls of every kind, value transfers, CREATE/CREATE2, reverts with a reason and a panic, logs.
const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
contract Child {
  event Ping(address indexed from, uint256 value);
  function ping(uint256 x) external payable returns (uint256) { emit Ping(msg.sender, x); return x * 2; }
  function fail(string calldata why) external pure { revert(why); }
  function boom() external pure { assert(false); }
  function get() external view returns (uint256) { return 42; }
  function here() external payable returns (address) { return address(this); }
}
contract Parent {
  event Made(address child);
  Child public child;
  constructor() payable { child = new Child(); }
  function run(address payable eoa) external payable returns (uint256 r) {
    r = child.ping{value: 1}(7);
    r += child.get();
    try child.fail("nope") {} catch {}
    (bool ok, ) = address(child).delegatecall(abi.encodeCall(Child.here, ()));
    require(ok, "delegatecall");
    eoa.transfer(2);
    Child c = new Child();
    emit Made(address(c));
    Child d = new Child{salt: bytes32(uint256(1))}();
    emit Made(address(d));
  }
  function failOuter() external { child.fail("outer says no"); }
  function panic() external { child.boom(); }
}`

const abi = parseAbi([
  'constructor() payable',
  'function run(address eoa) payable returns (uint256)',
  'function failOuter()',
  'function panic()',
])

function compileParent(): Hex {
  const solc = createRequire(import.meta.url)('solc') as { compile(input: string): string }
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: 'Solidity',
        sources: { 'Trace.sol': { content: SOURCE } },
        settings: { evmVersion: 'cancun', outputSelection: { '*': { Parent: ['evm.bytecode.object'] } } },
      }),
    ),
  )
  const object = output.contracts?.['Trace.sol']?.Parent?.evm?.bytecode?.object as string | undefined
  if (!object) throw new Error(`solc failed: ${JSON.stringify(output.errors)}`)
  return `0x${object}`
}

async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await res.json()) as { result?: T; error?: { code: number; message: string } }
  if (body.error) throw new Error(`${method}: ${body.error.code} ${body.error.message}`)
  return body.result as T
}

type Frame = { gas: Hex; gasUsed: Hex; calls?: Frame[]; error?: string; revertReason?: string; type: string }

/** anvil adds the tx-wide `index` to each log; geth's callLog has address, topics, data and position only */
function withoutLogIndex(frame: Frame): Frame {
  const copy = { ...frame } as Frame & { logs?: Record<string, unknown>[] }
  if (copy.logs) copy.logs = copy.logs.map(({ index: _, ...log }) => log)
  if (copy.calls) copy.calls = copy.calls.map(withoutLogIndex)
  return copy
}

const CALL_TRACER = { tracer: 'callTracer' }
const WITH_LOGS = { tracer: 'callTracer', tracerConfig: { withLog: true } }

describe('debug_trace* (callTracer) against anvil', () => {
  let dir: string
  let node: OplNode
  let anvil: Anvil
  const account = privateKeyToAccount(TEST_KEYS[0]!)
  const eoa = TEST_ADDRESSES[3]!
  const hashes: Hex[] = []
  let parent: Hex

  beforeAll(async () => {
    dir = await tempDir()
    node = await startTestNode(dir)
    // anvil without --optimism at cancun: the EVM reference (DESIGN.md)
    anvil = await startAnvil({ port: await freePort(), chainId: Number(TEST_CHAIN_ID), hardfork: 'cancun' })
    // the same funded accounts as the node's genesis: an existing recipient costs no new-account gas
    for (const address of TEST_ADDRESSES) await rpc(anvil.rpc, 'anvil_setBalance', [address, '0x3635c9adc5dea00000'])
    const bytecode = compileParent()
    const txs = [
      { to: undefined, data: encodeDeployData({ abi, bytecode }), value: 10n, gas: 2_000_000n },
      { to: 'parent', data: encodeFunctionData({ abi, functionName: 'run', args: [eoa] }), value: 5n, gas: 1_500_000n },
      { to: 'parent', data: encodeFunctionData({ abi, functionName: 'failOuter' }), value: 0n, gas: 200_000n },
      { to: 'parent', data: encodeFunctionData({ abi, functionName: 'panic' }), value: 0n, gas: 200_000n },
    ] as const
    for (const [nonce, tx] of txs.entries()) {
      const raw = await account.signTransaction({
        chainId: Number(TEST_CHAIN_ID),
        type: 'eip1559',
        nonce,
        ...(tx.to ? { to: parent } : {}),
        data: tx.data,
        value: tx.value,
        gas: tx.gas,
        maxFeePerGas: parseGwei('20'),
        maxPriorityFeePerGas: parseGwei('1'),
      })
      const hash = await rpc<Hex>(node.rpc.url, 'eth_sendRawTransaction', [raw])
      expect(await rpc<Hex>(anvil.rpc, 'eth_sendRawTransaction', [raw])).toBe(hash)
      await produceBlock(node)
      hashes.push(hash)
      if (nonce === 0) {
        const receipt = await rpc<{ contractAddress: Hex }>(node.rpc.url, 'eth_getTransactionReceipt', [hash])
        parent = receipt.contractAddress
      }
    }
  }, 120_000)

  afterAll(async () => {
    await anvil?.stop()
    await node?.stop()
    await removeDir(dir)
  })

  test('call trees equal anvil: CREATE in a constructor, nested CALL/STATICCALL/DELEGATECALL/CREATE/CREATE2, value to an EOA, reverts with reason, panic', async () => {
    for (const hash of hashes) {
      for (const options of [CALL_TRACER, WITH_LOGS]) {
        const ours = await rpc<Frame>(node.rpc.url, 'debug_traceTransaction', [hash, options])
        const theirs = await rpc<Frame>(anvil.rpc, 'debug_traceTransaction', [hash, options])
        const tx = await rpc<{ gas: Hex }>(node.rpc.url, 'eth_getTransactionByHash', [hash])
        // geth's top frame carries the tx gas limit (OnTxStart: tx.Gas()); anvil's the gas left after intrinsic gas
        expect(ours.gas).toBe(tx.gas)
        expect({ ...ours, gas: theirs.gas }, `${hash} ${JSON.stringify(options)}`).toEqual(withoutLogIndex(theirs))
      }
    }
    // the compared trees do hold what they are meant to
    const run = await rpc<Frame>(node.rpc.url, 'debug_traceTransaction', [hashes[1], CALL_TRACER])
    const kinds = (frame: Frame): string[] => [frame.type, ...(frame.calls ?? []).flatMap(kinds)]
    expect(new Set(kinds(run))).toEqual(new Set(['CALL', 'STATICCALL', 'DELEGATECALL', 'CREATE', 'CREATE2']))
    expect(run.calls?.find((call) => call.error)).toMatchObject({ error: 'execution reverted', revertReason: 'nope' })
    const failed = await rpc<Frame>(node.rpc.url, 'debug_traceTransaction', [hashes[2], CALL_TRACER])
    expect(failed).toMatchObject({ error: 'execution reverted', revertReason: 'outer says no' })
    const panicked = await rpc<Frame>(node.rpc.url, 'debug_traceTransaction', [hashes[3], CALL_TRACER])
    expect(panicked).toMatchObject({ error: 'execution reverted', revertReason: 'assert(false)' })
  })

  test('debug_traceCall equals anvil on the latest state', async () => {
    const call = {
      from: account.address,
      to: parent,
      data: encodeFunctionData({ abi, functionName: 'failOuter' }),
      gas: '0x1e8480',
    }
    const ours = await rpc<Frame>(node.rpc.url, 'debug_traceCall', [call, 'latest', WITH_LOGS])
    const theirs = await rpc<Frame>(anvil.rpc, 'debug_traceCall', [call, 'latest', WITH_LOGS])
    expect(ours.gas).toBe(call.gas)
    expect({ ...ours, gas: theirs.gas }).toEqual(withoutLogIndex(theirs))
  })

  test('debug_traceBlockByNumber/ByHash: every tx of the block, the L1-info deposit first, same as per tx', async () => {
    const receipt = await rpc<{ blockNumber: Hex; blockHash: Hex }>(node.rpc.url, 'eth_getTransactionReceipt', [
      hashes[1],
    ])
    const byNumber = await rpc<{ txHash: Hex; result: Frame & { from: Hex; to: Hex } }[]>(
      node.rpc.url,
      'debug_traceBlockByNumber',
      [receipt.blockNumber, CALL_TRACER],
    )
    expect(byNumber.map((t) => t.txHash)[1]).toBe(hashes[1])
    expect(byNumber[0]!.result).toMatchObject({
      type: 'CALL',
      from: '0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001',
      to: '0x4200000000000000000000000000000000000015',
    })
    expect(byNumber[1]!.result).toEqual(await rpc(node.rpc.url, 'debug_traceTransaction', [hashes[1], CALL_TRACER]))
    expect(await rpc(node.rpc.url, 'debug_traceBlockByHash', [receipt.blockHash, CALL_TRACER])).toEqual(byNumber)
  })

  test('only the callTracer is served: the default struct logger and other tracers get a clear -32602', async () => {
    await expect(rpc(node.rpc.url, 'debug_traceTransaction', [hashes[0]])).rejects.toThrow(
      /-32602 tracer not supported: the default struct logger/,
    )
    await expect(
      rpc(node.rpc.url, 'debug_traceTransaction', [hashes[0], { tracer: 'prestateTracer' }]),
    ).rejects.toThrow(/-32602 tracer not supported: "prestateTracer"/)
  })
})
