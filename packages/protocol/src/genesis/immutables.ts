import { type Hex, pad, toHex } from 'viem'
import { GenesisError } from './errors.js'

/** `deployedBytecode.immutableReferences` of a solc artifact: AST id → byte ranges in the runtime code. */
export type ImmutableReferences = Record<string, { start: number; length: number }[]>

/**
 * Fills the zero placeholders solc leaves in runtime code for immutables, which is what a real constructor run
 * would have produced. `names` maps the AST ids to variable names; every immutable must get a value, so a
 * contract is never etched with a zero immutable by mistake.
 */
export function patchImmutables(
  code: Hex,
  references: ImmutableReferences,
  names: Record<string, string>,
  values: Record<string, bigint | Hex>,
  contract = 'contract',
): Hex {
  const bytes = Buffer.from(code.slice(2), 'hex')
  for (const [id, ranges] of Object.entries(references)) {
    const name = names[id]
    if (!name) throw new GenesisError(`no name for immutable AST id ${id} in ${contract}`, { contract, id })
    const value = values[name]
    if (value === undefined) throw new GenesisError(`no value for immutable ${contract}.${name}`, { contract, name })
    for (const { start, length } of ranges) {
      if (length !== 32 || start + length > bytes.length)
        throw new GenesisError(`bad immutable range for ${contract}.${name}`, { contract, name, start, length })
      const word = typeof value === 'bigint' ? pad(toHex(value), { size: 32 }) : pad(value, { size: 32 })
      Buffer.from(word.slice(2), 'hex').copy(bytes, start)
    }
  }
  const referenced = Object.keys(references).map((id) => names[id])
  for (const name of Object.keys(values))
    if (!referenced.includes(name)) throw new GenesisError(`${contract} has no immutable ${name}`, { contract, name })
  return `0x${bytes.toString('hex')}`
}
