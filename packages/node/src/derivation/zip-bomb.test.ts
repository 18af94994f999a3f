import { constants, createBrotliCompress } from 'node:zlib'
import {
  CHANNEL_VERSION_BROTLI,
  encodeBatch,
  type Frame,
  MAX_RLP_BYTES_PER_CHANNEL_FJORD,
  readChannel,
} from '@opl/protocol'
import { bytesToHex, concat, toHex } from 'viem'
import { describe, expect, test } from 'vitest'
import { channelFrames, createScenario, singularBatchOf, txData } from './test-support.js'

/** RLP header of a byte string of `length` bytes (the channel stream wraps every batch in one). */
function rlpStringHeader(length: number): Uint8Array {
  if (length < 56) return Uint8Array.of(0x80 + length)
  const bytes: number[] = []
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256)
  return Uint8Array.of(0xb7 + bytes.length, ...bytes)
}

/**
 * `0x01 || brotli(stream)` where the stream is `prefix` followed by `zeros` zero bytes, compressed chunk by chunk so
 * the bomb itself is never held in memory.
 */
async function brotliBomb(prefix: Uint8Array, zeros: number): Promise<Uint8Array> {
  const compressor = createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 1 } })
  const out: Buffer[] = []
  compressor.on('data', (chunk: Buffer) => out.push(chunk))
  const done = new Promise<void>((resolve, reject) => {
    compressor.on('end', resolve)
    compressor.on('error', reject)
  })
  const write = (chunk: Uint8Array) =>
    new Promise<void>((resolve, reject) => compressor.write(chunk, (error) => (error ? reject(error) : resolve())))
  await write(prefix)
  const chunk = new Uint8Array(1 << 20)
  for (let left = zeros; left > 0; left -= chunk.length)
    await write(left >= chunk.length ? chunk : chunk.subarray(0, left))
  compressor.end()
  await done
  return concat([Uint8Array.of(CHANNEL_VERSION_BROTLI), ...out])
}

describe('zip bomb', () => {
  test('a channel from the batcher that inflates past MAX_RLP_BYTES_PER_CHANNEL: only the bytes within the limit are used, derivation goes on', async () => {
    const s = await createScenario()
    const [b1, b2] = await s.sequence(2, 1)
    // the stream: block 1's batch, then one RLP string claiming 150 MB (zeros), past the 100 MB Fjord limit
    const batch1 = encodeBatch({ type: 'singular', batch: singularBatchOf(s.rollup, b1!) })
    const bombSize = 150_000_000
    const bomb = await brotliBomb(concat([rlpStringHeader(batch1.length), batch1, rlpStringHeader(bombSize)]), bombSize)
    expect(bomb.length).toBeLessThan(1_000_000) // fits one frame: a real threat, not a malformed frame

    // reading it stops at the limit: the decompressed bytes never exceed MAX_RLP_BYTES_PER_CHANNEL, block 1 survives
    const read = readChannel(bomb, { fjord: true })
    expect(read.batches.length).toBe(1)
    expect(read.stop?.name).toBe('ChannelRlpLimitError')
    expect((read.stop!.details as { decompressedBytes: number }).decompressedBytes).toBeLessThanOrEqual(
      MAX_RLP_BYTES_PER_CHANNEL_FJORD,
    )

    const frame: Frame = { channelId: toHex(0xb0b, { size: 16 }), number: 0, data: bomb, isLast: true }
    s.post((await s.l1.blockByNumber(3n))!, [txData(frame)])
    s.post((await s.l1.blockByNumber(4n))!, [txData(...channelFrames(s.rollup, [b2!]))])
    const dropped: string[] = []
    const v = await s.verifier()
    v.derivation.events.droppedData = (reason) => dropped.push(reason)
    expect(await v.derivation.syncUntilIdle()).toBe('idle')
    expect(dropped).toEqual([expect.stringMatching(/read stopped after 1 batches: .*MAX_RLP_BYTES_PER_CHANNEL/)])
    expect(v.derivation.criticalError).toBeUndefined()
    expect(v.derivation.safeHead.hash).toBe(bytesToHex(b2!.block.hash))
    expect(bytesToHex((await v.chain.blockByNumber(1n))!.header.hash())).toBe(bytesToHex(b1!.block.hash))
  })
})
