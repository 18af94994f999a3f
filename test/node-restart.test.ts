import { createPublicClient, createWalletClient, type Hex, http, padHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, describe, expect, test } from 'vitest'
import { TEST_ADDRESSES, TEST_KEYS } from '../packages/node/src/engine/testing/fixtures.js'
import { produceBlock, removeDir, startTestNode, tempDir } from '../packages/node/src/engine/testing/node-harness.js'

/** PUSH1 1, NUMBER, SUB, BLOCKHASH, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN: returns blockhash(number - 1). */
const PARENT_HASH_CODE: Hex = '0x600143034060005260206000f3'
const PROBE = '0x00000000000000000000000000000000000b10c4'

describe('restart', () => {
  const dirs: string[] = []
  afterAll(async () => {
    for (const dir of dirs) await removeDir(dir)
  })

  test('a reopened node resumes at the same head with identical hashes, receipts and BLOCKHASH', async () => {
    const dir = await tempDir()
    dirs.push(dir)
    let node = await startTestNode(dir)
    const account = privateKeyToAccount(TEST_KEYS[2]!)
    const wallet = createWalletClient({ account, transport: http(node.rpc.url) })
    const sent: Hex[] = []
    for (let i = 0; i < 5; i++) {
      sent.push(await wallet.sendTransaction({ chain: null, to: TEST_ADDRESSES[3]!, value: BigInt(i + 1) }))
      await produceBlock(node)
    }
    const client = createPublicClient({ transport: http(node.rpc.url) })
    const hashes = await Promise.all(
      [0n, 1n, 2n, 3n, 4n, 5n].map(async (n) => (await client.getBlock({ blockNumber: n })).hash),
    )
    const balance = await client.getBalance({ address: TEST_ADDRESSES[3]! })
    await node.stop()

    node = await startTestNode(dir)
    try {
      const again = createPublicClient({ transport: http(node.rpc.url) })
      expect(await again.getBlockNumber()).toBe(5n)
      const after = await Promise.all(
        [0n, 1n, 2n, 3n, 4n, 5n].map(async (n) => (await again.getBlock({ blockNumber: n })).hash),
      )
      expect(after).toEqual(hashes)
      expect(await again.getBalance({ address: TEST_ADDRESSES[3]! })).toBe(balance)
      for (const hash of sent) expect((await again.getTransactionReceipt({ hash })).status).toBe('success')
      // BLOCKHASH after restart: the window was refilled from the store
      const parent = await again.call({ to: PROBE, stateOverride: [{ address: PROBE, code: PARENT_HASH_CODE }] })
      expect(parent.data).toBe(hashes[4])
      // and the chain goes on: the next block builds on the persisted head, with BLOCKHASH in execution too
      const next = await produceBlock(node)
      expect((await again.getBlock({ blockNumber: next })).parentHash).toBe(hashes[5])
      expect(padHex(parent.data!, { size: 32 })).toBe(hashes[4])
    } finally {
      await node.stop()
    }
  })
})
