import { envNameOf } from './flags.js'

/** The part of a zod (v4) schema --help reads: its `.describe()` text and its definition. */
type FieldSchema = { description?: string; def: FieldDef }
type FieldDef = {
  type: string
  defaultValue?: unknown
  innerType?: { def: FieldDef }
  in?: { def: FieldDef }
  format?: string
  entries?: Record<string, unknown>
  options?: readonly { def: FieldDef }[]
}

/** The part of a commander `Command` this needs. */
type OptionSink = { option(flags: string, description: string): unknown }

/** A config key's flag: `l1PollIntervalMs` → `--l1-poll-interval-ms`. */
export const flagOf = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`

/**
 * `<url>`, `<a|b>`, `[bool]` (a bare flag means true) or `<value>`, read through defaults, optionals and transforms;
 * the choices of a long enum go to the description instead, so the help column stays narrow.
 */
function placeholderOf(def: FieldDef): { placeholder: string; choices?: string } {
  const d = unwrapped(def, () => false)
  if (d.type === 'union' && d.options?.some((o) => o.def.type === 'boolean')) return { placeholder: '[bool]' }
  if (d.type === 'enum' && d.entries) {
    const values = Object.values(d.entries).map(String)
    const placeholder = `<${values.join('|')}>`
    return placeholder.length <= 20 ? { placeholder } : { placeholder: '<value>', choices: values.join(', ') }
  }
  if (d.type === 'string' && d.format === 'url') return { placeholder: '<url>' }
  return { placeholder: '<value>' }
}

/** The first definition under defaults, optionals, transforms and pipes for which `stop` holds, else the innermost. */
function unwrapped(def: FieldDef, stop: (d: FieldDef) => boolean): FieldDef {
  let d = def
  for (let depth = 0; depth < 8 && !stop(d) && (d.innerType || d.in); depth++) d = (d.innerType ?? d.in)!.def
  return d
}

/** The default a field takes when unset, also when a transform follows it (`.default('all').transform(…)`). */
function defaultOf(def: FieldDef): { value: unknown } | undefined {
  const d = unwrapped(def, (x) => x.type === 'default')
  return d.type === 'default' ? { value: d.defaultValue } : undefined
}

const shown = (value: unknown) => (value === '' ? '""' : String(value))

/**
 * Declares every field of a service's zod config object as a `--kebab-name` flag, with the field's description, its
 * default and its `<prefix><NAME>` env var in --help: the schema is the one place a setting is documented.
 */
export function addConfigFlags(program: OptionSink, shape: Record<string, FieldSchema>, prefix: string): void {
  for (const [key, field] of Object.entries(shape)) {
    const flag = flagOf(key)
    const { placeholder, choices } = placeholderOf(field.def)
    const fallback = defaultOf(field.def)
    const notes = [choices && `one of ${choices}`, fallback && `default ${shown(fallback.value)}`]
    const help = [field.description, notes.some(Boolean) && `(${notes.filter(Boolean).join('; ')})`]
    program.option(`${flag} ${placeholder}`, `${help.filter(Boolean).join(' ')} [${envNameOf(prefix, flag)}]`.trim())
  }
}
