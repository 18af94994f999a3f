import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { getAddress, isHex, toBytes } from 'viem'
import { z } from 'zod'
import { InvalidInputError, NotFoundError } from '../errors.js'
import type { ContributionRecord, ContributionSource } from './contribution-source.js'

const Line = z.object({
  id: z.string().min(1),
  contributor: z.string().refine((s) => isHex(s) && s.length === 42, 'an address'),
  datanetId: z.string().default('1'),
  contentHash: z.string().refine((s) => isHex(s) && s.length === 66, 'a bytes32 hash'),
  order: z.union([z.string(), z.number()]).transform((v) => BigInt(v)),
  /** inline text, or a path relative to the manifest */
  content: z.string().optional(),
  path: z.string().optional(),
})

/**
 * A JSON-lines manifest of contributions: `{id, contributor, datanetId, contentHash, order, content | path}` per
 * line. The content hash is what the chain would record, so a file whose text was edited fails verification.
 */
export class FileContributionSource implements ContributionSource {
  private entries: Array<{ record: ContributionRecord; content?: string; path?: string }> | undefined

  constructor(private readonly manifestPath: string) {}

  private async load() {
    if (this.entries) return this.entries
    const text = await readFile(this.manifestPath, 'utf8')
    const entries = text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l, i) => {
        const parsed = Line.safeParse(JSON.parse(l))
        if (!parsed.success)
          throw new InvalidInputError('bad contribution manifest line', { line: i + 1, issue: parsed.error.message })
        const { content, path, ...rest } = parsed.data
        const record: ContributionRecord = {
          ...rest,
          contributor: getAddress(rest.contributor),
          contentHash: rest.contentHash as `0x${string}`,
        }
        return { record, content, path }
      })
    entries.sort((a, b) => (a.record.order < b.record.order ? -1 : a.record.order > b.record.order ? 1 : 0))
    this.entries = entries
    return entries
  }

  async *contributions(after?: bigint): AsyncIterable<ContributionRecord> {
    for (const e of await this.load()) if (after === undefined || e.record.order > after) yield e.record
  }

  async fetchContent(record: ContributionRecord): Promise<Uint8Array> {
    const e = (await this.load()).find((x) => x.record.id === record.id)
    if (!e) throw new NotFoundError('contribution not in manifest', { id: record.id })
    if (e.content !== undefined) return toBytes(e.content)
    if (e.path === undefined)
      throw new InvalidInputError('manifest line has neither content nor path', { id: record.id })
    return new Uint8Array(await readFile(resolve(dirname(this.manifestPath), e.path)))
  }
}
