import { flagOf } from './config-flags.js'
import { envNameOf, readFlagsAndEnv } from './flags.js'

/** The part of a zod schema this needs (service-kit does not depend on zod). */
type ConfigSchema<T> = {
  safeParse(
    input: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } }
}

/**
 * A service CLI's config: env (`<prefix><NAME>`) then flags, through the service's zod schema. On bad input every
 * issue is printed as `config: --<flag> / <ENV_NAME>: <message>` and the process exits 2, before anything starts.
 */
export function parseConfigOrExit<T>(
  schema: ConfigSchema<T>,
  prefix: string,
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): T {
  const parsed = schema.safeParse(readFlagsAndEnv(prefix, argv, env))
  if (parsed.success) return parsed.data
  for (const issue of parsed.error.issues) {
    const flag = flagOf(String(issue.path[0] ?? ''))
    console.error(`config: ${flag} / ${envNameOf(prefix, flag)}: ${issue.message}`)
  }
  process.exit(2)
}
