import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { readJsonFile, writeJsonFile } from './json-file.js'

const dir = mkdtempSync(join(tmpdir(), 'opl-json-file-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('overlapping writes to one file all succeed, the last call wins, no temp file is left', async () => {
  const file = join(dir, 'state.json')
  await Promise.all(Array.from({ length: 50 }, (_, i) => writeJsonFile(file, { n: BigInt(i) })))
  expect(await readJsonFile(file)).toEqual({ n: '49' })
  expect(readdirSync(dir)).toEqual(['state.json'])
})
