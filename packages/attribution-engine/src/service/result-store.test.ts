import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import type { AnyAttribution } from './attributor.js'
import { ResultStore, ResultStoreCorruptError } from './result-store.js'

const dir = mkdtempSync(join(tmpdir(), 'opl-results-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const result = (digest: string) => ({ digest, outputHash: '0x01' }) as unknown as AnyAttribution

test('puts are on disk when they resolve and reload in order; a later put for an id wins', async () => {
  const path = join(dir, 'a', 'attributions.jsonl')
  const store = await ResultStore.open(path)
  await Promise.all([
    store.put('x', { method: 'span', result: result('0xaa') }),
    store.put('y', { method: 'span', result: result('0xbb') }),
  ])
  await store.put('x', { method: 'influence', result: result('0xcc'), epoch: 3, payouts: { '0x1': '5' } })
  await store.close()
  expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(3)
  const reopened = await ResultStore.open(path)
  expect(reopened.get('x')).toEqual({ method: 'influence', result: result('0xcc'), epoch: 3, payouts: { '0x1': '5' } })
  expect(reopened.get('y')?.result.digest).toBe('0xbb')
  expect(reopened.get('z')).toBeUndefined()
  await reopened.close()
})

test('a torn last line (crash before its fsync: never answered) is cut off; the next put starts a clean line', async () => {
  const path = join(dir, 'torn.jsonl')
  const store = await ResultStore.open(path)
  await store.put('x', { method: 'span', result: result('0xaa') })
  await store.close()
  appendFileSync(path, '{"id":"y","method":"sp')
  const reopened = await ResultStore.open(path)
  expect(reopened.get('y')).toBeUndefined()
  await reopened.put('z', { method: 'span', result: result('0xdd') })
  await reopened.close()
  const last = await ResultStore.open(path)
  expect([last.get('x')?.result.digest, last.get('z')?.result.digest]).toEqual(['0xaa', '0xdd'])
  await last.close()
})

test('a damaged line before the end is an error, not silently dropped results', async () => {
  const path = join(dir, 'bad.jsonl')
  writeFileSync(path, '{"id":"x","method":"span","result":{}}\nnot json\n{"id":"y","method":"span","result":{}}\n')
  await expect(ResultStore.open(path)).rejects.toBeInstanceOf(ResultStoreCorruptError)
})
