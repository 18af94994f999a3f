import { RLP } from '@ethereumjs/rlp'
import { bigIntToBytes, bytesToBigInt } from '@ethereumjs/util'
import { bytesToHex, type Hex, hexToBytes } from 'viem'
import { afterEach, describe, expect, test } from 'vitest'
import { checksumAddress, keccak256 } from '../engine/crypto.js'
import { eip1559Tx, legacyTx, TEST_ADDRESSES, TEST_KEYS } from '../engine/testing/fixtures.js'
import { createTestEngine, TEST_CHAIN_ID } from '../engine/testing/test-engine.js'
import { SenderRecovery } from './sender-recovery.js'
import { TxPool } from './tx-pool.js'

const GWEI = 1_000_000_000n
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

const recoveries: SenderRecovery[] = []
afterEach(async () => {
  for (const recovery of recoveries.splice(0)) await recovery.close()
})
async function startRecovery(): Promise<SenderRecovery> {
  const recovery = new SenderRecovery(TEST_CHAIN_ID, 1)
  recoveries.push(recovery)
  await recovery.warmUp()
  return recovery
}

/** A batch with valid legacy and 1559 txs and ones admission must refuse for their signature or encoding. */
async function batchOfRaws() {
  const engine = await createTestEngine()
  const baseFee = engine.head.baseFeePerGas!
  const to = TEST_ADDRESSES[3]!
  const legacy = legacyTx(engine.common, TEST_KEYS[0]!, {
    to,
    value: 1n,
    gasLimit: 21_000n,
    nonce: 0n,
    gasPrice: baseFee,
  })
  const dynamic = (key: number, nonce: bigint) =>
    eip1559Tx(engine.common, TEST_KEYS[key]!, {
      to,
      value: 1n,
      gasLimit: 21_000n,
      nonce,
      maxFeePerGas: baseFee + GWEI,
      maxPriorityFeePerGas: GWEI,
    }).raw
  // the same signature with s' = n - s: recovers to another key, and EIP-2 forbids it (ethereumjs throws)
  const fields = RLP.decode(legacy.raw) as Uint8Array[]
  fields[8] = bigIntToBytes(SECP256K1_N - bytesToBigInt(fields[8]!))
  const highS = RLP.encode(fields)
  const truncated = dynamic(2, 0n).subarray(0, 60)
  const raws = [legacy.raw, dynamic(1, 0n), dynamic(1, 1n), highS, truncated, dynamic(2, 0n)]
  return { engine, raws: raws.map((raw) => bytesToHex(raw)) }
}

async function admit(pool: TxPool, raws: Hex[], prefetch: boolean): Promise<string[]> {
  const done = prefetch ? pool.prefetchSenders(raws) : () => {}
  const outcomes: string[] = []
  try {
    for (const raw of raws) {
      outcomes.push(await pool.add(raw).catch((error: Error) => `error: ${error.message}`))
    }
  } finally {
    done()
  }
  return outcomes
}

describe('SenderRecovery', () => {
  test('recovers what the inline path recovers; null for a tx the inline path refuses', async () => {
    const { raws } = await batchOfRaws()
    const recovered = await Promise.all((await startRecovery()).recover(raws))
    expect(recovered.map((r) => r?.checksummed)).toEqual([
      TEST_ADDRESSES[0],
      TEST_ADDRESSES[1],
      TEST_ADDRESSES[1],
      undefined,
      undefined,
      TEST_ADDRESSES[2],
    ])
    expect(recovered[0]!.checksummed).toBe(checksumAddress(recovered[0]!.sender))
    expect(bytesToHex(recovered[5]!.raw)).toBe(raws[5])
    expect(recovered.map((r) => (r ? bytesToHex(r.hash) : undefined))).toEqual(
      raws.map((raw, i) => ([3, 4].includes(i) ? undefined : bytesToHex(keccak256(hexToBytes(raw))))),
    )
  })

  test('a batch admitted with prefetched senders gets the same hashes and errors as one admitted inline', async () => {
    const { engine, raws } = await batchOfRaws()
    const inline = await admit(new TxPool(engine), raws, false)
    const pool = new TxPool(engine, undefined, undefined, undefined, await startRecovery())
    const prefetched = await admit(pool, raws, true)
    expect(prefetched).toEqual(inline)
    expect(inline[0]).toMatch(/^0x[0-9a-f]{64}$/)
    expect(inline[3]).toBe(
      'error: invalid sender: Invalid Signature: s-values greater than secp256k1n/2 are considered invalid',
    )
    expect(inline[4]).toBe('error: invalid transaction encoding: invalid RLP: total length is larger than the data')
    expect(pool.get(inline[2] as Hex)?.sender).toBe(TEST_ADDRESSES[1])
    expect(pool.recoveryCpuMs()).toBeGreaterThan(0)
  })

  test('a batch before the workers have loaded is admitted inline', async () => {
    const { engine, raws } = await batchOfRaws()
    const recovery = new SenderRecovery(TEST_CHAIN_ID, 1)
    recoveries.push(recovery)
    const pool = new TxPool(engine, undefined, undefined, undefined, recovery)
    expect(await admit(pool, raws, true)).toEqual(await admit(new TxPool(engine), raws, false))
    await recovery.warmUp()
    expect(recovery.enabled).toBe(true)
  })

  test('without its workers the pool recovers inline', async () => {
    const { engine, raws } = await batchOfRaws()
    const recovery = await startRecovery()
    await recovery.close()
    const pool = new TxPool(engine, undefined, undefined, undefined, recovery)
    expect(await admit(pool, raws, true)).toEqual(await admit(new TxPool(engine), raws, false))
  })
})
