import { type FileHandle, mkdir, open, readFile, truncate } from 'node:fs/promises'
import { dirname } from 'node:path'
import { AttributionError } from '../errors.js'
import type { AnyAttribution } from './attributor.js'

/** A line of the results file other than a torn last one does not parse: the file was damaged, not cut short. */
export class ResultStoreCorruptError extends AttributionError {
  override name = 'ResultStoreCorruptError'
}

/** What `POST /v1/attributions` answered for an id, as `GET /v1/attributions/:id` serves it again. */
export type StoredAttribution = {
  method: 'span' | 'influence'
  result: AnyAttribution
  /** the epoch it was booked into and its payouts, when booked */
  epoch?: number
  payouts?: Record<string, string>
}

type Line = { id: string } & StoredAttribution

const json = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v))

/**
 * The results `GET /v1/attributions/:id` serves, kept in an append-only JSON-lines file: each `put` appends one
 * line and fsyncs it before it resolves, so an answered POST survives a crash. A later line for the same id wins
 * (off chain, as the in-memory map did). A crash mid-append leaves a torn last line (no newline): `open` cuts it off,
 * since its POST was never answered.
 */
export class ResultStore {
  private readonly results = new Map<string, StoredAttribution>()
  private queue: Promise<unknown> = Promise.resolve()

  private constructor(
    private readonly file: FileHandle,
    readonly path: string,
  ) {}

  static async open(path: string): Promise<ResultStore> {
    await mkdir(dirname(path), { recursive: true })
    let text = ''
    try {
      text = await readFile(path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    // every acknowledged line ends with its newline; a tail without one was cut by a crash before its fsync
    const parts = text.split('\n')
    const tail = parts.pop()!
    if (tail !== '') await truncate(path, Buffer.byteLength(text) - Buffer.byteLength(tail))
    const lines = parts.map((part, i) => {
      try {
        return JSON.parse(part) as Line
      } catch {
        throw new ResultStoreCorruptError('a stored attribution line does not parse', { path, line: i + 1 })
      }
    })
    const store = new ResultStore(await open(path, 'a'), path)
    for (const { id, ...stored } of lines) store.results.set(id, stored)
    return store
  }

  get(id: string): StoredAttribution | undefined {
    return this.results.get(id)
  }

  /** Appends and fsyncs `stored` under `id`; resolves once it is on disk. Puts run one at a time, in call order. */
  put(id: string, stored: StoredAttribution): Promise<void> {
    const write = async () => {
      await this.file.appendFile(`${json({ id, ...stored } satisfies Line)}\n`)
      await this.file.datasync()
      this.results.set(id, stored)
    }
    const next = this.queue.then(write, write)
    this.queue = next.catch(() => undefined)
    return next
  }

  async close(): Promise<void> {
    await this.queue
    await this.file.close()
  }
}
