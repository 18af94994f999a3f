import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { L2_TO_L1_MESSAGE_PASSER, outputRootV0 } from '@opl/protocol'
import { type Block, createPublicClient, type Hex, http, zeroHash } from 'viem'

export type ElRollupNodeOptions = {
  l1Rpc: string
  /** An L2 execution client with the real L2 genesis (anvil --init genesis.json in tests). */
  l2Rpc: string
  /** Changes an output before it is served: plays a faulty or lying rollup node. */
  tamper?: (output: { outputRoot: Hex; stateRoot: Hex; withdrawalStorageRoot: Hex }) => void
}

export type ElRollupNode = {
  url: string
  close(): Promise<void>
}

/**
 * A test stand-in for op-node's rollup RPC over any L2 execution client: `optimism_syncStatus` and
 * `optimism_outputAtBlock` in op-node's shapes (JSON numbers), the output computed from the EL's header and
 * `eth_getProof`. The devnet tests use our node's own rollup RPC; this one stays for the proposer tests that need a
 * rollup node they can make lie (`tamper`).
 */
export async function startElRollupNode(opts: ElRollupNodeOptions): Promise<ElRollupNode> {
  const l1 = createPublicClient({ transport: http(opts.l1Rpc) })
  const l2 = createPublicClient({ transport: http(opts.l2Rpc) })
  const l1Ref = (b: Block) => ({
    hash: b.hash!,
    number: Number(b.number),
    parentHash: b.parentHash,
    timestamp: Number(b.timestamp),
  })
  const l2Ref = (b: Block) => ({ ...l1Ref(b), l1origin: { hash: zeroHash, number: 0 }, sequenceNumber: 0 })
  async function syncStatus() {
    const [l1Head, l2Head] = await Promise.all([
      l1.getBlock({ blockTag: 'latest' }),
      l2.getBlock({ blockTag: 'latest' }),
    ])
    return {
      current_l1: l1Ref(l1Head),
      current_l1_finalized: l1Ref(l1Head),
      head_l1: l1Ref(l1Head),
      safe_l1: l1Ref(l1Head),
      finalized_l1: l1Ref(l1Head),
      unsafe_l2: l2Ref(l2Head),
      safe_l2: l2Ref(l2Head),
      finalized_l2: l2Ref(l2Head),
      pending_safe_l2: l2Ref(l2Head),
      cross_unsafe_l2: l2Ref(l2Head),
      local_safe_l2: l2Ref(l2Head),
    }
  }
  async function outputAtBlock(quantity: string) {
    const blockNumber = BigInt(quantity)
    const [block, proof] = await Promise.all([
      l2.getBlock({ blockNumber }),
      l2.getProof({ address: L2_TO_L1_MESSAGE_PASSER, storageKeys: [], blockNumber }),
    ])
    const output = {
      outputRoot: outputRootV0({
        stateRoot: block.stateRoot,
        messagePasserStorageRoot: proof.storageHash,
        blockHash: block.hash!,
      }),
      stateRoot: block.stateRoot,
      withdrawalStorageRoot: proof.storageHash,
    }
    opts.tamper?.(output)
    return { version: zeroHash, blockRef: l2Ref(block), ...output, syncStatus: await syncStatus() }
  }
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', async () => {
      const call = JSON.parse(body) as { id: number; method: string; params: string[] }
      const reply = (payload: object) =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', id: call.id, ...payload }))
      try {
        if (call.method === 'optimism_syncStatus') return reply({ result: await syncStatus() })
        if (call.method === 'optimism_outputAtBlock') return reply({ result: await outputAtBlock(call.params[0]!) })
        reply({ error: { code: -32601, message: `the method ${call.method} does not exist/is not available` } })
      } catch (error) {
        reply({ error: { code: -32000, message: String(error) } })
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
