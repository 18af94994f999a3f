import { envNameOf } from './flags.js'

/** The part of a zod (v4) field schema --help needs: its `.describe()` text and, for `.default()`, the value. */
type FieldSchema = { description?: string; def: { type: string; defaultValue?: unknown } }

/** The part of a commander `Command` this needs. */
type OptionSink = { option(flags: string, description: string): unknown }

/** A config key's flag: `l1PollIntervalMs` → `--l1-poll-interval-ms`. */
export const flagOf = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`

/**
 * Declares every field of a service's zod config object as `--kebab-name <value>`, with the field's description, its
 * default and the `<prefix><NAME>` env var in --help: the schema is the one place a setting is documented.
 */
export function addConfigFlags(program: OptionSink, shape: Record<string, FieldSchema>, prefix: string): void {
  for (const [key, field] of Object.entries(shape)) {
    const flag = flagOf(key)
    const fallback = field.def.type === 'default' ? ` (default ${String(field.def.defaultValue)})` : ''
    program.option(`${flag} <value>`, `${field.description ?? ''}${fallback} [${envNameOf(prefix, flag)}]`.trim())
  }
}
