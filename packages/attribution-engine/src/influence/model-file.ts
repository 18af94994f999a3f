import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { InvalidInputError } from '../errors.js'
import type { ModelShape } from './small-lm.js'
import type { TrainedModel } from './train.js'

const MAGIC = 'OPLSLM01'

type Header = {
  shape: ModelShape
  lrs: number[]
  losses: number[]
  vocab: number
  params: number
  /** what the writer pins the model to (e.g. its version), checked by the reader */
  meta: Record<string, string>
}

/**
 * A trained small model on disk: `OPLSLM01`, u32 header length, JSON header (shape, lrs, losses, array lengths),
 * then the vocabulary (u32 LE) and every checkpoint's parameters (f64 LE), written through a temp file + rename.
 * The file is not trusted on its own: the caller compares the model version it hashes to with the expected one.
 */
export async function saveTrainedModel(
  path: string,
  model: TrainedModel,
  meta: Record<string, string> = {},
): Promise<void> {
  const header = Buffer.from(
    JSON.stringify({
      shape: model.shape,
      lrs: model.lrs,
      losses: model.losses,
      vocab: model.vocab.length,
      params: model.params.length,
      meta,
    } satisfies Header),
  )
  const head = Buffer.alloc(12)
  head.write(MAGIC, 0, 'latin1')
  head.writeUInt32LE(header.length, 8)
  const bytes = (a: Uint32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)
  await mkdir(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.tmp`
  await writeFile(tmp, Buffer.concat([head, header, bytes(model.vocab), bytes(model.params)]))
  await rename(tmp, path)
}

/** Loads a model written by `saveTrainedModel` into shared memory (workers read it without copies). */
export async function loadTrainedModel(
  path: string,
): Promise<{ model: TrainedModel; meta: Record<string, string> } | undefined> {
  let file: Buffer
  try {
    file = await readFile(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  if (file.length < 12 || file.toString('latin1', 0, 8) !== MAGIC)
    throw new InvalidInputError('not a small-model file', { path })
  const headerEnd = 12 + file.readUInt32LE(8)
  const h = JSON.parse(file.toString('utf8', 12, headerEnd)) as Header
  if (file.length !== headerEnd + 4 * h.vocab + 8 * h.params)
    throw new InvalidInputError('small-model file has the wrong length', { path })
  const vocab = new Uint32Array(new SharedArrayBuffer(4 * h.vocab))
  const params = new Float64Array(new SharedArrayBuffer(8 * h.params))
  new Uint8Array(vocab.buffer).set(file.subarray(headerEnd, headerEnd + 4 * h.vocab))
  new Uint8Array(params.buffer).set(file.subarray(headerEnd + 4 * h.vocab))
  return { model: { shape: h.shape, vocab, params, lrs: h.lrs, losses: h.losses }, meta: h.meta ?? {} }
}
