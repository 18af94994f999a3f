import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import { type Address, type Hex, isAddress, keccak256, toBytes } from 'viem'
import { z } from 'zod'
import {
  InferenceAlreadyAttributedError,
  OutputSignatureRequiredError,
  OutputSignerNotModelOwnerError,
} from '../chain/errors.js'
import type { AttributionEngine } from '../engine/attribution-engine.js'
import { AttributionError, InvalidInputError, NotFoundError } from '../errors.js'
import { QueueFullError, TaskTimeoutError } from '../pool/errors.js'
import type { SettleableResult } from '../scoring/scorer.js'
import type { EpochBook } from '../settlement/epoch-book.js'
import type { EpochSettlement } from '../settlement/settler.js'
import { Attributor } from './attributor.js'
import type { Metrics } from './metrics.js'
import type { ResultStore, StoredAttribution } from './result-store.js'

const uint = z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform((v) => BigInt(v))
const address = z.string().refine(isAddress, 'an address')

/** Body of POST /v1/attributions; `charge` (optional) books the inference's fee into the open epoch. */
export const AttributionRequest = z.object({
  output: z.string().min(1),
  inferenceId: z.string().min(1).optional(),
  /** chain mode: the model owner's EIP-712 signature over InferenceOutput(inferenceId, keccak256(output)) */
  signature: z
    .string()
    .regex(/^0x[0-9a-fA-F]{130}$/, 'a 65-byte 0x-hex signature')
    .optional(),
  /** `span` (large models) or `influence` (small models); on chain it must match the model's registered kind */
  scorer: z.enum(['span', 'influence']).optional(),
  /** off chain, influence: the Datanets whose contributions the small model trains on (default: all) */
  datanetIds: z
    .array(z.string().regex(/^\d{1,78}$/))
    .max(256)
    .optional(),
  charge: z
    .object({
      modelId: z.string().min(1),
      modelOwner: address,
      inTokens: uint,
      outTokens: uint.optional(),
      rateInWei: uint,
      rateOutWei: uint,
      platformFeeBps: z.number().int().min(0).max(10_000).optional(),
      datanets: z.array(z.object({ treasury: address, weight: uint })).optional(),
    })
    .optional(),
})

/**
 * Chain mode: payments and epochs live on chain. An attribution names its on-chain inference id and is booked
 * with the split the contract escrowed; POST /v1/epochs settles every ended epoch that is ready.
 */
export type ChainHooks = {
  /** throws OutputSignatureRequiredError / OutputSignerNotModelOwnerError unless the model's owner signed `output` */
  authorize(inferenceId: bigint, output: string, signature: Hex | undefined): Promise<void>
  attribute(inferenceId: bigint, result: SettleableResult): Promise<{ epoch: number; payouts: Map<Address, bigint> }>
  settle(): Promise<EpochSettlement[]>
}

/** HTTP status per error class, most specific first (AttributionError is the base of the others). */
const STATUS_OF: ReadonlyArray<readonly [abstract new (...args: never[]) => Error, number]> = [
  [InvalidInputError, 400],
  [OutputSignatureRequiredError, 401],
  [OutputSignerNotModelOwnerError, 403],
  [NotFoundError, 404],
  [InferenceAlreadyAttributedError, 409],
  [QueueFullError, 503],
  [TaskTimeoutError, 504],
  [AttributionError, 422],
]

const json = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v))

/**
 * The HTTP API: POST /v1/attributions, GET /v1/attributions/:id, GET /v1/claims/:contributor,
 * POST /v1/epochs (close and settle the open epoch), /healthz, /readyz, /metrics. Errors answer
 * `{ error: name, message, details }` with 400 / 401 / 403 / 404 / 409 / 422 / 503 / 504 / 500. Every answered
 * attribution is in `results` (fsynced) before the answer goes out. Chain mode: a post needs the model owner's
 * signature; the first output booked for an inference stands (another output: 409; the same again: its first answer).
 */
export function createAttributionServer(args: {
  engine: AttributionEngine
  epochs: EpochBook
  metrics: Metrics
  log: Logger
  maxBodyBytes: number
  defaultTreasury: Address
  /** where answered attributions are kept across restarts */
  results: ResultStore
  chain?: ChainHooks
  /** picks the scorer per model; default: spans only, over `engine` */
  attributor?: Attributor
  /** `/readyz`: whether the service's dependencies answer (the chain RPC in chain mode); default: ready */
  readiness?: () => Promise<{ ok: boolean } & Record<string, unknown>>
}): Server {
  const { engine, epochs, metrics, log } = args
  const { results } = args
  const attributor = args.attributor ?? new Attributor({ engine })

  async function route(req: IncomingMessage, res: ServerResponse): Promise<[string, number, unknown]> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const path = url.pathname
    if (req.method === 'GET' && path === '/healthz') return ['healthz', 200, { ok: true, ...engine.summary }]
    if (req.method === 'GET' && path === '/readyz') {
      const ready = (await args.readiness?.()) ?? { ok: true }
      return ['readyz', ready.ok ? 200 : 503, ready]
    }
    if (req.method === 'GET' && path === '/metrics') {
      res.setHeader('content-type', metrics.registry.contentType)
      return ['metrics', 200, await metrics.registry.metrics()]
    }
    if (req.method === 'POST' && path === '/v1/attributions') {
      const body = AttributionRequest.safeParse(await readJson(req, args.maxBodyBytes))
      if (!body.success) throw new InvalidInputError('invalid request body', { issues: body.error.issues })
      const onChainId = args.chain ? chainInferenceId(body.data.inferenceId, body.data.charge !== undefined) : undefined
      if (args.chain && onChainId !== undefined) {
        await args.chain.authorize(onChainId, body.data.output, body.data.signature as Hex | undefined)
        const first = results.get(onChainId.toString())
        if (first) return ['attributions', 200, { id: onChainId.toString(), ...sameOutput(first, body.data.output) }]
      }
      const controller = new AbortController()
      req.on('close', () => {
        if (!res.writableEnded) controller.abort()
      })
      const stop = metrics.queryDuration.startTimer()
      const result = await attributor.attribute({
        output: body.data.output,
        inferenceId: onChainId,
        modelId: body.data.charge?.modelId,
        scorer: body.data.scorer,
        datanetIds: body.data.datanetIds,
        signal: controller.signal,
      })
      stop()
      // chain mode: the id in decimal, however the request spelled it, so GET finds it under one name
      const id = onChainId?.toString() ?? body.data.inferenceId ?? result.digest
      const method = 'method' in result ? result.method : 'span'
      let payouts: Record<string, string> | undefined
      if (args.chain && onChainId !== undefined) {
        const booked = await args.chain.attribute(onChainId, result)
        payouts = Object.fromEntries([...booked.payouts].map(([a, v]) => [a, v.toString()]))
        // a concurrent post of the same output may have stored it first: that answer stands
        const first = results.get(id)
        if (first) return ['attributions', 200, { id, ...sameOutput(first, body.data.output) }]
        const stored: StoredAttribution = { method, epoch: booked.epoch, payouts, result }
        await results.put(id, stored)
        return ['attributions', 200, { id, ...stored }]
      }
      const c = body.data.charge
      if (c) {
        const booked = epochs.charge(result, {
          inferenceId: id,
          modelId: c.modelId,
          modelOwner: c.modelOwner as Address,
          inTokens: c.inTokens,
          outTokens: c.outTokens ?? BigInt(result.outputTokens),
          rateInWei: c.rateInWei,
          rateOutWei: c.rateOutWei,
          platformFeeBps: c.platformFeeBps,
          datanets: (c.datanets ?? [{ treasury: args.defaultTreasury, weight: 1n }]).map((d) => ({
            treasury: d.treasury as Address,
            weight: d.weight,
          })),
        })
        payouts = Object.fromEntries([...booked].map(([a, v]) => [a, v.toString()]))
      }
      const stored: StoredAttribution = { method, epoch: c ? epochs.currentEpoch : undefined, payouts, result }
      await results.put(id, stored)
      return ['attributions', 200, { id, ...stored }]
    }
    const attribution = path.match(/^\/v1\/attributions\/([^/]+)$/)
    if (req.method === 'GET' && attribution) {
      const id = decodeURIComponent(attribution[1]!)
      const stored = results.get(id)
      if (!stored) throw new NotFoundError('no attribution with this id', { id })
      return ['attribution', 200, { id, ...stored }]
    }
    const claims = path.match(/^\/v1\/claims\/([^/]+)$/)
    if (req.method === 'GET' && claims) {
      if (!isAddress(claims[1]!)) throw new InvalidInputError('not an address', { contributor: claims[1] })
      return ['claims', 200, { contributor: claims[1], claims: epochs.claimsOf(claims[1] as Address) }]
    }
    if (req.method === 'POST' && path === '/v1/epochs' && args.chain) {
      const settled = await args.chain.settle()
      return ['epochs', 200, { settled: settled.map(({ claims, records, ...s }) => s) }]
    }
    if (req.method === 'POST' && path === '/v1/epochs') {
      const { claims: proofs, records, ...settled } = await epochs.close()
      return ['epochs', 200, { ...settled, claims: proofs.length, records: records.length }]
    }
    throw new NotFoundError('no such route', { method: req.method, path })
  }

  return createServer((req, res) => {
    route(req, res)
      .then(([name, status, body]) => send(res, name, status, body))
      .catch((err: unknown) => {
        const e = err instanceof Error ? err : new Error(String(err))
        const status = STATUS_OF.find(([type]) => e instanceof type)?.[1] ?? 500
        if (status === 500) log.error({ err: e }, 'request failed')
        send(res, 'error', status, {
          error: e.name,
          message: e.message,
          details: e instanceof AttributionError ? e.details : {},
        })
      })
  })

  function send(res: ServerResponse, name: string, status: number, body: unknown) {
    metrics.requests.inc({ route: name, status })
    if (res.writableEnded || res.destroyed) return
    if (typeof body === 'string') {
      res.writeHead(status)
      res.end(body)
      return
    }
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(json(body))
  }
}

/** The first answer for an inference when `output` is the output it booked; another output is refused (409). */
function sameOutput(first: StoredAttribution, output: string): StoredAttribution {
  if (first.result.outputHash === keccak256(toBytes(output))) return first
  throw new InferenceAlreadyAttributedError('this inference already has an attribution of another output', {
    outputHash: first.result.outputHash,
  })
}

/** In chain mode the fee is on chain: the request names the paid inference (decimal or 0x id), never a charge. */
function chainInferenceId(id: string | undefined, hasCharge: boolean): bigint {
  if (hasCharge) throw new InvalidInputError('chain mode: fees are paid on chain, send inferenceId without charge')
  if (!id || !/^(0x[0-9a-fA-F]{1,64}|\d{1,78})$/.test(id))
    throw new InvalidInputError('chain mode: inferenceId must be the on-chain inference id', { inferenceId: id })
  return BigInt(id)
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new InvalidInputError('request body too large', { limit })
    chunks.push(chunk as Buffer)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new InvalidInputError('request body is not JSON')
  }
}
