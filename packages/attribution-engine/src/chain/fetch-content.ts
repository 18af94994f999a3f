import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { bytesToHex, type Hex, hexToBytes, isHex } from 'viem'
import { InvalidInputError } from '../errors.js'
import { ContentFetchTemporaryError, ContentUnavailableError } from './errors.js'

/** Where a contribution's bytes live, decoded from the registry's `dataRef`. */
export type DataRef = { kind: 'commitment'; commitment: Hex } | { kind: 'uri'; uri: string }

const URI = /^(file|https?):\/\/\S+$/

/**
 * `dataRef` is either a URI (UTF-8 `file://…`, `http(s)://…`) or an eigenda-proxy commitment (binary, e.g. the
 * generic `0x01 0x00 <cert version> <cert>` the DA server returns from `POST /put`). Anything that is not a
 * URI is taken as a commitment: the DA server decides whether it knows it.
 */
export function decodeDataRef(dataRef: Hex): DataRef {
  const bytes = hexToBytes(dataRef)
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
  if (URI.test(text)) return { kind: 'uri', uri: text }
  return { kind: 'commitment', commitment: bytesToHex(bytes) }
}

export type ContentFetcherOptions = {
  /** eigenda-proxy (or our dev DA server) base URL, for commitments */
  daUrl?: string
  maxBytes: number
  timeoutMs: number
}

/** Fetches content by DA commitment (`GET {daUrl}/get/0x…`) or URI, with a size cap and a timeout. */
export class ContentFetcher {
  constructor(private readonly options: ContentFetcherOptions) {}

  async fetch(ref: string): Promise<Uint8Array> {
    if (isHex(ref)) {
      if (!this.options.daUrl) throw new InvalidInputError('a DA commitment but no DA server is configured', { ref })
      return this.http(`${this.options.daUrl.replace(/\/$/, '')}/get/${ref}`)
    }
    if (ref.startsWith('file://')) return this.file(ref)
    if (ref.startsWith('http://') || ref.startsWith('https://')) return this.http(ref)
    throw new InvalidInputError('unsupported content reference', { ref })
  }

  private async file(uri: string): Promise<Uint8Array> {
    try {
      const data = new Uint8Array(await readFile(fileURLToPath(uri)))
      if (data.length > this.options.maxBytes)
        throw new InvalidInputError('content larger than the limit', { uri, limit: this.options.maxBytes })
      return data
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ContentUnavailableError('no such file', { uri })
      throw err
    }
  }

  private async http(url: string): Promise<Uint8Array> {
    let res: Response
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs) })
    } catch (err) {
      throw new ContentFetchTemporaryError('content host unreachable', { url, cause: (err as Error).message })
    }
    // eigenda-proxy answers 404 for an unknown commitment (our dev server too); 4xx will not change on retry.
    if (res.status >= 400 && res.status < 500) {
      await res.body?.cancel()
      throw new ContentUnavailableError('content not found', { url, status: res.status })
    }
    if (!res.ok) {
      await res.body?.cancel()
      throw new ContentFetchTemporaryError('content host failed', { url, status: res.status })
    }
    const declared = Number(res.headers.get('content-length') ?? 0)
    if (declared > this.options.maxBytes) {
      await res.body?.cancel()
      throw new InvalidInputError('content larger than the limit', { url, limit: this.options.maxBytes })
    }
    const data = new Uint8Array(await res.arrayBuffer())
    if (data.length > this.options.maxBytes)
      throw new InvalidInputError('content larger than the limit', { url, limit: this.options.maxBytes })
    return data
  }
}
