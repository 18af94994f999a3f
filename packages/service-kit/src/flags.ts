const camel = (s: string) => s.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

/**
 * Reads `<prefix><NAME>` env vars (`OPL_PROPOSER_L1_RPC` → `l1Rpc`), then `--kebab-name value` / `--kebab-name=value`
 * flags over them; a flag with no value means `true`. The result goes to the service's zod schema, which converts
 * and validates every field.
 */
export function readFlagsAndEnv(
  prefix: string,
  argv: readonly string[],
  env: NodeJS.ProcessEnv | Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env))
    if (k.startsWith(prefix) && v !== undefined) out[camel(k.slice(prefix.length))] = v
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (!a.startsWith('--')) continue
    const [name, inline] = a.slice(2).split('=', 2)
    const next = argv[i + 1]
    out[camel(name!.replace(/-/g, '_'))] =
      inline ?? (next !== undefined && !next.startsWith('--') ? argv[++i]! : 'true')
  }
  return out
}

/** The env var a flag reads: `--l1-rpc <url>` with prefix `OPL_PROPOSER_` → `OPL_PROPOSER_L1_RPC`. */
export function envNameOf(prefix: string, flag: string): string {
  return `${prefix}${flag.slice(2).split(/[ =]/)[0]!.replace(/-/g, '_').toUpperCase()}`
}
