import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Abi, Hex } from 'viem'

export type Artifact = {
  contractName: string
  abi: Abi
  bytecode: Hex
  deployedBytecode: Hex
  immutableReferences?: Record<string, { start: number; length: number }[]>
}

export class ArtifactNotFoundError extends Error {
  override name = 'ArtifactNotFoundError'
}

/** Reads a Hardhat 3 artifact of one of our contracts (`contracts/<path>.sol:<name>`). */
export function readOwnArtifact(root: string, sourcePath: string, name: string): Artifact {
  const file = join(root, 'artifacts', 'contracts', sourcePath, `${name}.json`)
  if (!existsSync(file))
    throw new ArtifactNotFoundError(`artifact ${sourcePath}:${name} missing; run \`pnpm build:contracts\``)
  return JSON.parse(readFileSync(file, 'utf8')) as Artifact
}
