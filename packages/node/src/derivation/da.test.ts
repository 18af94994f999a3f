import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type AltDaCommitment, commitmentToHex, devCertCommitment, encodeCommitmentTxData } from '@opl/protocol'
import { bytesToHex, zeroAddress } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type DaSource, HttpDaSource } from './da-source.js'
import { DaMissingPastWindowError, DaNotFoundError, DaUnavailableError } from './errors.js'
import { channelFrames, createScenario, txData } from './test-support.js'

/** A DA server in memory whose next answers can be set: data, 404 or 503. */
class ScriptedDa implements DaSource {
  readonly store = new Map<string, Uint8Array>()
  mode: 'ok' | '404' | '503' = 'ok'
  calls = 0
  async get(commitment: AltDaCommitment): Promise<Uint8Array> {
    this.calls++
    if (this.mode === '503') throw new DaUnavailableError('503 (scripted)')
    const data = this.store.get(commitmentToHex(commitment))
    if (this.mode === '404' || !data) throw new DaNotFoundError('404 (scripted)')
    return data
  }
  put(data: Uint8Array, as: Uint8Array = data): Uint8Array {
    const commitment = devCertCommitment(as)
    this.store.set(commitmentToHex(commitment), data)
    return encodeCommitmentTxData(commitment)
  }
}

const altDa = (challengeWindow: bigint) => ({
  altDa: {
    commitmentType: 'GenericCommitment' as const,
    challengeContractAddress: zeroAddress,
    challengeWindow,
    resolveWindow: 10n,
  },
})

describe('alt-DA retrieval', () => {
  test('503 stalls derivation without skipping; once the server answers, the chain is derived', async () => {
    const s = await createScenario({ rollup: altDa(100n) })
    const blocks = await s.sequence(6, 1)
    const da = new ScriptedDa()
    s.post((await s.l1.blockByNumber(6n))!, [da.put(txData(...channelFrames(s.rollup, blocks)))])
    const v = await s.verifier({ da })
    da.mode = '503'
    expect(await v.derivation.syncUntilIdle()).toBe('retry')
    expect(await v.derivation.syncUntilIdle()).toBe('retry')
    expect(v.derivation.safeHead.number).toBe(0n)
    expect(v.derivation.currentL1?.number).toBe(6n)
    da.mode = 'ok'
    expect(await v.derivation.syncUntilIdle()).toBe('idle')
    expect(v.derivation.safeHead.hash).toBe(bytesToHex(blocks.at(-1)!.block.hash))
  })

  test('404 is retried within the challenge window and is critical past it (op-alt-da "missing past window")', async () => {
    const s = await createScenario({ rollup: altDa(2n) })
    const blocks = await s.sequence(6, 1)
    const da = new ScriptedDa()
    s.post((await s.l1.blockByNumber(7n))!, [da.put(txData(...channelFrames(s.rollup, blocks)))])
    const v = await s.verifier({ da })
    da.mode = '404'
    // L1 head 10 > 7 + 2: past the window
    await expect(v.derivation.syncUntilIdle()).rejects.toBeInstanceOf(DaMissingPastWindowError)
    expect(v.derivation.criticalError).toBeInstanceOf(DaMissingPastWindowError)

    const young = await createScenario({ rollup: altDa(100n) })
    const youngBlocks = await young.sequence(3, 1)
    const da2 = new ScriptedDa()
    young.post((await young.l1.blockByNumber(7n))!, [da2.put(txData(...channelFrames(young.rollup, youngBlocks)))])
    const w = await young.verifier({ da: da2 })
    da2.mode = '404'
    expect(await w.derivation.syncUntilIdle()).toBe('retry')
    da2.mode = 'ok'
    expect(await w.derivation.syncUntilIdle()).toBe('idle')
    expect(w.derivation.safeHead.number).toBe(3n)
  })

  test('data that does not match its commitment is dropped for that tx only; the next commitment is used', async () => {
    const s = await createScenario({ rollup: altDa(100n) })
    const blocks = await s.sequence(4, 1)
    const da = new ScriptedDa()
    const good = txData(...channelFrames(s.rollup, blocks))
    const lying = da.put(txData(...channelFrames(s.rollup, blocks.slice(0, 1))), new Uint8Array([0, 1, 2]))
    s.post((await s.l1.blockByNumber(6n))!, [lying, da.put(good)])
    const dropped: string[] = []
    const v = await s.verifier({ da })
    v.derivation.events.droppedData = (reason) => dropped.push(reason)
    expect(await v.derivation.syncUntilIdle()).toBe('idle')
    expect(dropped).toHaveLength(1)
    expect(dropped[0]).toMatch(/does not match its commitment/)
    expect(v.derivation.safeHead.number).toBe(4n)
  })
})

describe('HttpDaSource (eigenda-proxy protocol)', () => {
  let status = 200
  let body = Buffer.from([0, 1, 2])
  const paths: string[] = []
  const server = createServer((req, res) => {
    paths.push(req.url ?? '')
    res.statusCode = status
    res.end(status === 200 ? body : 'err')
  })
  let url = ''
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  test('GET /get/0x<commitment>: 200 → bytes, 404 → not found, 503/500 → unavailable (retry), refused → unavailable', async () => {
    const commitment = devCertCommitment(body)
    const source = new HttpDaSource({ url })
    expect(await source.get(commitment)).toEqual(new Uint8Array(body))
    expect(paths.at(-1)).toBe(`/get/${commitmentToHex(commitment)}`)
    status = 404
    await expect(source.get(commitment)).rejects.toBeInstanceOf(DaNotFoundError)
    status = 503
    await expect(source.get(commitment)).rejects.toBeInstanceOf(DaUnavailableError)
    status = 500
    await expect(source.get(commitment)).rejects.toBeInstanceOf(DaUnavailableError)
    await expect(new HttpDaSource({ url: 'http://127.0.0.1:1' }).get(commitment)).rejects.toBeInstanceOf(
      DaUnavailableError,
    )
    body = Buffer.from([9])
    status = 200
  })
})
