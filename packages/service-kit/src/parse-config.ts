import type { z } from 'zod'
import { flagOf } from './config-flags.js'
import { envNameOf, readFlagsAndEnv } from './flags.js'

export type ParseConfigOptions = {
  env?: NodeJS.ProcessEnv | Record<string, string | undefined>
  /** `<prefix>*` variables read elsewhere (e.g. by another sub-command), so not reported as typos. */
  otherEnv?: readonly string[]
}

/**
 * `<prefix>*` env vars that name no field of the schema: almost always a typo, which the schema would otherwise drop
 * without a word (`OPL_BATCHER_MAX_PENDING_TXS` leaves the default in force).
 */
export function unknownEnvNames(
  shape: Record<string, unknown>,
  prefix: string,
  env: NodeJS.ProcessEnv | Record<string, string | undefined>,
  otherEnv: readonly string[] = [],
): string[] {
  const known = new Set([...Object.keys(shape).map((key) => envNameOf(prefix, flagOf(key))), ...otherEnv])
  return Object.keys(env).filter((name) => name.startsWith(prefix) && env[name] !== undefined && !known.has(name))
}

/**
 * A service CLI's config: env (`<prefix><NAME>`), then flags over it, then the schema's defaults, validated by the
 * service's zod schema. An env var that names no setting is reported on stderr (`config: OPL_X_Y is not a setting…`)
 * and ignored. On bad input every issue is printed as `config: --<flag> / <ENV_NAME>: <message>` and the process
 * exits 2, before anything starts.
 */
export function parseConfigOrExit<S extends z.ZodObject>(
  schema: S,
  prefix: string,
  argv: readonly string[],
  options: ParseConfigOptions = {},
): z.output<S> {
  const env = options.env ?? process.env
  for (const name of unknownEnvNames(schema.shape, prefix, env, options.otherEnv))
    console.error(`config: ${name} is not a setting of this service (a typo?); ignored`)
  const parsed = schema.safeParse(readFlagsAndEnv(prefix, argv, env))
  if (parsed.success) return parsed.data
  for (const issue of parsed.error.issues) {
    const flag = flagOf(String(issue.path[0] ?? ''))
    console.error(`config: ${flag} / ${envNameOf(prefix, flag)}: ${issue.message}`)
  }
  process.exit(2)
}
