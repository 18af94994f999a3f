/**
 * Shared test material: a pool of real signed transactions (viem + secp256k1) of every type a span batch carries,
 * from many senders, signed once so property tests can draw thousands of batches from it cheaply.
 */
import fc from 'fast-check'
import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { SingularBatch } from './singular-batch.js'

export const TEST_CHAIN_ID = 901n

const KEYS: Hex[] = Array.from({ length: 8 }, (_, i) => `0x${(i + 1).toString(16).padStart(64, '0')}` as Hex)

/** Deterministic pseudo-random numbers for building fixtures (not for the properties themselves). */
function lcg(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state
  }
}

export type TxKind = 'unprotected' | 'legacy' | 'eip2930' | 'eip1559' | 'creation'

export async function signTxPool(count: number, chainId = TEST_CHAIN_ID): Promise<{ kind: TxKind; raw: Hex }[]> {
  const next = lcg(0x5eed)
  const kinds: TxKind[] = ['unprotected', 'legacy', 'eip2930', 'eip1559', 'creation']
  const pool: { kind: TxKind; raw: Hex }[] = []
  for (let i = 0; i < count; i++) {
    const account = privateKeyToAccount(KEYS[i % KEYS.length]!)
    const kind = kinds[i % kinds.length]!
    const to = `0x${next().toString(16).padStart(8, '0').repeat(5)}` as Hex
    const data = `0x${'a9059cbb'.repeat(next() % 3)}${next()
      .toString(16)
      .padStart(8, '0')
      .repeat(next() % 4)}` as Hex
    const nonce = next() % 1000
    const gas = BigInt(21_000 + (next() % 500_000))
    const value = BigInt(next()) * BigInt(next() % 7)
    const accessList = [
      {
        address: to,
        storageKeys: Array.from({ length: next() % 3 }, () => `0x${next().toString(16).padStart(64, '0')}` as Hex),
      },
    ]
    let raw: Hex
    if (kind === 'unprotected') {
      // viem signs legacy txs without chainId as pre-EIP-155 (v = 27/28).
      raw = await account.signTransaction({ type: 'legacy', nonce, gasPrice: 1_000_000_000n, gas, to, value, data })
    } else if (kind === 'legacy') {
      raw = await account.signTransaction({
        type: 'legacy',
        chainId: Number(chainId),
        nonce,
        gasPrice: 7n,
        gas,
        to,
        value,
        data,
      })
    } else if (kind === 'eip2930') {
      raw = await account.signTransaction({
        type: 'eip2930',
        chainId: Number(chainId),
        nonce,
        gasPrice: 1_000_000n,
        gas,
        to,
        value,
        data,
        accessList,
      })
    } else {
      raw = await account.signTransaction({
        type: 'eip1559',
        chainId: Number(chainId),
        nonce,
        maxFeePerGas: BigInt(next()) + 2n,
        maxPriorityFeePerGas: 1n,
        gas,
        ...(kind === 'creation' ? {} : { to }),
        value,
        data: kind === 'creation' ? '0x6080604052348015600f57600080fd5b50' : data,
        ...(i % 2 ? { accessList } : {}),
      })
    }
    pool.push({ kind, raw })
  }
  return pool
}

export const hash32 = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => `0x${Buffer.from(b).toString('hex')}` as Hex)

/**
 * Consecutive singular batches (2 s blocks) whose L1 origin stays or advances by one, with txs drawn from `pool`.
 */
export function consecutiveSingularBatches(pool: readonly Hex[], maxBlocks = 8, maxTxs = 4) {
  return fc
    .record({
      start: fc.bigInt({ min: 1n, max: 1n << 40n }),
      epoch: fc.bigInt({ min: 1n, max: 1n << 40n }),
      blocks: fc.array(
        fc.record({
          advance: fc.boolean(),
          epochHash: hash32,
          txs: fc.array(fc.constantFrom(...pool), { maxLength: maxTxs }),
        }),
        { minLength: 1, maxLength: maxBlocks },
      ),
      parentHash: hash32,
      firstStartsEpoch: fc.boolean(),
    })
    .map(({ start, epoch, blocks, parentHash, firstStartsEpoch }) => {
      let epochNumber = epoch
      let epochHash = blocks[0]!.epochHash
      const batches: SingularBatch[] = blocks.map((block, i) => {
        if (i > 0 && block.advance) {
          epochNumber += 1n
          epochHash = block.epochHash
        }
        return { parentHash, epochNumber, epochHash, timestamp: start + 2n * BigInt(i), transactions: block.txs }
      })
      return { batches, firstStartsEpoch }
    })
}
