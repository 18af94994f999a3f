import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { MIN_SPLIT_POSITIONS } from '../index/split-shard-input.js'
import { InMemoryContributionSource } from '../ingest/in-memory-source.js'
import { contributorAddress, generatePlantedSet } from '../planted/generate-planted-set.js'
import { seededRandom } from '../planted/random.js'
import { AttributionEngine, type EngineOptions } from './attribution-engine.js'

/**
 * Pins what an index build produces, byte for byte: the version hash names every shard file (tokens, suffix array,
 * row tables, dedupe keys) and the catalog, and the digest covers an attribution over it. The pinned values were
 * produced by the engine before the session-3 speed work (commit 39e7f45): a faster SA-IS, dedupe or write path
 * must not change them.
 */
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function open(options: Omit<EngineOptions, 'dir'>): Promise<AttributionEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'opl-golden-'))
  dirs.push(dir)
  return AttributionEngine.open({ dir, ...options })
}

/** Tokenized contributions: skewed ids, every 50th row an exact copy and every 70th a one-token edit of a recent row. */
function tokenizedItems(rowCount: number) {
  const rand = seededRandom(5)
  const rows: Uint32Array[] = []
  for (let r = 0; r < rowCount; r++) {
    if (r % 50 === 49) {
      rows.push(rows[r - 7]!.slice())
      continue
    }
    if (r % 70 === 69) {
      const copy = rows[r - 3]!.slice()
      copy[10] = 299
      rows.push(copy)
      continue
    }
    rows.push(Uint32Array.from({ length: 150 }, () => 300 + Math.floor(rand() ** 3 * 90_000)))
  }
  const items = []
  for (let i = 0; i < rows.length; i += 10)
    items.push({
      record: {
        id: `t${i}`,
        contributor: contributorAddress(i % 7),
        datanetId: '1',
        contentHash: `0x${'00'.repeat(32)}` as const,
        order: BigInt(i + 1),
      },
      rows: rows.slice(i, i + 10),
    })
  const query = new Uint32Array(300)
  query.set(rows[100]!.subarray(20, 120), 0)
  query.set(rows[900]!.subarray(0, 150), 120)
  query.set(rows[1400]!.subarray(50, 80), 270)
  return { items, query }
}

describe('index builds are byte-identical to the pinned ones', () => {
  test('text ingestion (tokenizer, row keys, one shard): version hash and attribution digest', async () => {
    const set = generatePlantedSet({ contributors: 30, outputs: 4 })
    const engine = await open({ workers: 1 })
    try {
      await engine.ingest(new InMemoryContributionSource(set.contributions))
      expect(engine.version).toBe('0x2614c6cfe47c5ca420166c95551221cc8a35641e2984050fd82bcb8ccf2bc4aa')
      expect((await engine.attribute(set.outputs[0]!.text)).digest).toBe(
        '0xb84f734fd4c74af0219be66b19b11a29769b638b2e2da87615067d684751aa9d',
      )
    } finally {
      await engine.close()
    }
  }, 60_000)

  test('tokenized ingestion (keys on the workers, exact and near copies refused): version hash and digest', async () => {
    const { items, query } = tokenizedItems(1500)
    const engine = await open({ workers: 2 })
    try {
      await engine.ingestTokenized(items)
      expect(engine.summary).toMatchObject({ shards: 1, rows: 1453 })
      expect(engine.version).toBe('0x744238878c336317db5592820208582a9f070e55ba6ed596fd3e20130e888cc1')
      expect((await engine.attributeTokens(query, 'q')).digest).toBe(
        '0xda5f720b124ec256d38135fd7a7d0de03a1b0debc6c9d1459c053c314fd9209d',
      )
    } finally {
      await engine.close()
    }
  }, 60_000)

  test('a batch split into one shard per worker attributes exactly as one shard does (only the version differs)', async () => {
    const { items, query } = tokenizedItems(3700)
    const one = await open({ workers: 1, shardPositions: 2 ** 24 - 1 })
    const split = await open({ workers: 2, shardPositions: 200_000 })
    try {
      await one.ingestTokenized(items)
      await split.ingestTokenized(items)
      expect(one.summary.tokens).toBeGreaterThan(MIN_SPLIT_POSITIONS)
      expect(one.summary.shards).toBe(1)
      expect(split.summary.shards).toBe(4) // ⌈540k / 200k⌉ = 3, rounded up to a multiple of the 2 workers
      expect(split.summary.tokens).toBe(one.summary.tokens)
      const a = await one.attributeTokens(query, 'q')
      const b = await split.attributeTokens(query, 'q')
      const body = ({ indexVersion: _v, digest: _d, ...rest }: typeof a) => rest
      expect(a.spans.length).toBeGreaterThan(0)
      expect(JSON.stringify(body(b))).toBe(JSON.stringify(body(a)))
    } finally {
      await one.close()
      await split.close()
    }
  }, 120_000)
})
