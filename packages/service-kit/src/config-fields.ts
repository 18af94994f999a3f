import { z } from 'zod'

/**
 * A boolean setting: `true`/`false` or `1`/`0` (env vars and flag values are strings), or a bare `--flag` for true.
 * Anything else is refused rather than read as false.
 */
export const boolField = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1')

/** An integer setting of at least `min`, written in decimal. */
export const intField = (min: number) => z.coerce.number().int().min(min)

/** A TCP port; 0 lets the OS pick one. */
export const portField = intField(0).max(65_535)

export const addressField = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 20-byte hex address')

/** pino's levels; `silent` turns logging off. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const

/** `--log-level` / `<PREFIX>LOG_LEVEL`, the same for every service. */
export const logConfigFields = {
  logLevel: z.enum(LOG_LEVELS).default('info').describe('pino level'),
}

const enabled = boolField.default(true)
const host = z.string().default('127.0.0.1')
const port = portField.default(0)
// the value types of the fields below; Record keys spell the names out so a schema that spreads them is fully typed
type ServerConfigFields<P extends string> = Record<`${P}Enabled`, typeof enabled> &
  Record<`${P}Host`, typeof host> &
  Record<`${P}Port`, typeof port>

/**
 * A service's ops server settings (`/healthz`, `/readyz`, `/metrics`), spread into its config schema so every service
 * writes them alike: `<name>Enabled` (true), `<name>Host` (127.0.0.1) and `<name>Port`. The batcher and the proposer
 * call it `metrics` as op-batcher and op-proposer do; the relayer's server also carries its status API, so `api`.
 */
export function serverConfigFields<P extends string>(
  name: P,
  options: { server: string; serves: string; port: number; portNote: string },
): ServerConfigFields<P> {
  return {
    [`${name}Enabled`]: enabled.describe(`serve ${options.serves}`),
    [`${name}Host`]: host.describe(`${options.server} bind address`),
    [`${name}Port`]: portField.default(options.port).describe(`${options.server} port (${options.portNote})`),
  } as ServerConfigFields<P>
}
