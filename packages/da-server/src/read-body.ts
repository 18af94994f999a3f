import type { IncomingMessage } from 'node:http'
import { BadRequestError } from './errors.js'

/**
 * Reads the request body, refusing it with 400 as soon as it passes `limit` bytes (Content-Length is checked first,
 * so an honest oversize client is refused before it sends anything). Nothing is stored from a refused body.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = req.headers['content-length']
  if (declared !== undefined && Number(declared) > limit) {
    throw new BadRequestError('body larger than the max blob size', { size: Number(declared), limit })
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) throw new BadRequestError('body larger than the max blob size', { size, limit })
    chunks.push(chunk)
  }
  const body = Buffer.concat(chunks, size)
  return new Uint8Array(body.buffer, body.byteOffset, body.length)
}
