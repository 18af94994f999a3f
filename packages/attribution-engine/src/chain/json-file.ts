import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

const json = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2)

/** Reads a JSON file, or `undefined` when it does not exist yet. */
export async function readJsonFile<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/** Writes in flight per path: a second write to a file waits for the first (same temp file, and the last call wins). */
const pending = new Map<string, Promise<void>>()

/**
 * Writes through a temporary file and a rename, so a crash leaves the old file or the new one, never half. Writes to
 * one path from one process run in call order: two overlapping writes shared the temp file and one rename failed.
 */
export function writeJsonFile(path: string, value: unknown): Promise<void> {
  const text = json(value)
  const write = async () => {
    await mkdir(dirname(path), { recursive: true })
    const tmp = `${path}.${process.pid}.tmp`
    await writeFile(tmp, text)
    await rename(tmp, path)
  }
  const previous = pending.get(path) ?? Promise.resolve()
  const next = previous.then(write, write)
  const settled = next.catch(() => undefined)
  pending.set(path, settled)
  void settled.then(() => {
    if (pending.get(path) === settled) pending.delete(path)
  })
  return next
}
