import { z } from 'zod'
import type { DaServerConfig } from './config.js'
import { BadRequestError } from './errors.js'
import { type DurationError, formatGoDuration, parseGoDuration } from './go-duration.js'

/** The knobs eigenda-proxy's memstore lets tests turn at runtime, in milliseconds. */
export type RuntimeConfig = {
  maxBlobSizeBytes: number
  blobExpirationMs: number
  putLatencyMs: number
  getLatencyMs: number
  putReturnsFailoverError: boolean
}

/** The JSON of `GET|PATCH /memstore/config`, field for field as the proxy's memstore (Go names, Go durations). */
export type MemstoreConfigJson = {
  MaxBlobSizeBytes: number
  BlobExpiration: string
  PutLatency: string
  GetLatency: string
  PutReturnsFailoverError: boolean
}

const goDuration = z.string().transform((value, ctx) => {
  try {
    return parseGoDuration(value)
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as DurationError).message })
    return z.NEVER
  }
})

/** A PATCH body: any subset of the fields; unknown fields are refused so a typo does not silently do nothing. */
const MemstoreConfigPatch = z.strictObject({
  MaxBlobSizeBytes: z.number().int().min(1).optional(),
  BlobExpiration: goDuration.optional(),
  PutLatency: goDuration.optional(),
  GetLatency: goDuration.optional(),
  PutReturnsFailoverError: z.boolean().optional(),
})

export function runtimeConfigFrom(config: DaServerConfig): RuntimeConfig {
  return {
    maxBlobSizeBytes: config.maxBlobSizeBytes,
    blobExpirationMs: config.blobExpiration,
    putLatencyMs: config.putLatency,
    getLatencyMs: config.getLatency,
    putReturnsFailoverError: config.putReturnsFailoverError,
  }
}

export function memstoreConfigJson(config: RuntimeConfig): MemstoreConfigJson {
  return {
    MaxBlobSizeBytes: config.maxBlobSizeBytes,
    BlobExpiration: formatGoDuration(config.blobExpirationMs),
    PutLatency: formatGoDuration(config.putLatencyMs),
    GetLatency: formatGoDuration(config.getLatencyMs),
    PutReturnsFailoverError: config.putReturnsFailoverError,
  }
}

/** Applies a PATCH body to `config` in place; throws BadRequestError (400) and changes nothing when it is invalid. */
export function patchRuntimeConfig(config: RuntimeConfig, body: unknown, hardMaxBlobSize: number): void {
  const parsed = MemstoreConfigPatch.safeParse(body)
  if (!parsed.success) {
    throw new BadRequestError('invalid memstore config patch', {
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    })
  }
  const patch = parsed.data
  if (patch.MaxBlobSizeBytes !== undefined && patch.MaxBlobSizeBytes > hardMaxBlobSize) {
    throw new BadRequestError('MaxBlobSizeBytes above the server limit', { limit: hardMaxBlobSize })
  }
  if (patch.MaxBlobSizeBytes !== undefined) config.maxBlobSizeBytes = patch.MaxBlobSizeBytes
  if (patch.BlobExpiration !== undefined) config.blobExpirationMs = patch.BlobExpiration
  if (patch.PutLatency !== undefined) config.putLatencyMs = patch.PutLatency
  if (patch.GetLatency !== undefined) config.getLatencyMs = patch.GetLatency
  if (patch.PutReturnsFailoverError !== undefined) config.putReturnsFailoverError = patch.PutReturnsFailoverError
}
