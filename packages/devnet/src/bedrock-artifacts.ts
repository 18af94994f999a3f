import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { type ContractArtifact, GENESIS_ARTIFACT_NAMES, type GenesisArtifacts, type StorageLayout } from '@opl/protocol'
import type { Abi, Hex } from 'viem'

/** The npm package whose compiled artifacts are deployed unmodified. */
export const BEDROCK_PACKAGE = '@eth-optimism/contracts-bedrock'
export const BEDROCK_VERSION = '0.17.3'

type ForgeArtifact = {
  abi: Abi
  bytecode: { object: Hex }
  deployedBytecode: { object: Hex; immutableReferences?: Record<string, { start: number; length: number }[]> }
  storageLayout: StorageLayout
  metadata: { sources: Record<string, unknown> }
  ast?: unknown
}

export type BedrockArtifact = {
  name: string
  abi: Abi
  bytecode: Hex
  deployedBytecode: Hex
  immutableReferences: Record<string, { start: number; length: number }[]>
  storageLayout: StorageLayout
}

export class BedrockArtifactError extends Error {
  override name = 'BedrockArtifactError'
}

/** Root of the installed contracts-bedrock package; refuses any other version than the pinned one. */
export function bedrockRoot(): string {
  const require = createRequire(import.meta.url)
  const root = dirname(require.resolve(`${BEDROCK_PACKAGE}/package.json`))
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
  if (version !== BEDROCK_VERSION)
    throw new BedrockArtifactError(`${BEDROCK_PACKAGE} is ${version}, the deploy is pinned to ${BEDROCK_VERSION}`)
  return root
}

const cache = new Map<string, ForgeArtifact>()

function readForgeArtifact(file: string): ForgeArtifact {
  let artifact = cache.get(file)
  if (!artifact) {
    artifact = JSON.parse(readFileSync(file, 'utf8')) as ForgeArtifact
    cache.set(file, artifact)
  }
  return artifact
}

function artifactFile(name: string): string {
  const file = join(bedrockRoot(), 'forge-artifacts', `${name}.sol`, `${name}.json`)
  if (!existsSync(file)) throw new BedrockArtifactError(`no artifact ${name}.sol/${name}.json in ${BEDROCK_PACKAGE}`)
  return file
}

/** One contract of the package, as compiled by the OP team (solc 0.8.15, 999999 runs, no metadata hash). */
export function readBedrockArtifact(name: string): BedrockArtifact {
  const a = readForgeArtifact(artifactFile(name))
  return {
    name,
    abi: a.abi,
    bytecode: a.bytecode.object,
    deployedBytecode: a.deployedBytecode.object,
    immutableReferences: a.deployedBytecode.immutableReferences ?? {},
    storageLayout: a.storageLayout,
  }
}

function collectImmutables(node: unknown, wanted: Set<string>, out: Record<string, string>): void {
  if (Array.isArray(node)) for (const child of node) collectImmutables(child, wanted, out)
  else if (node && typeof node === 'object') {
    const n = node as { nodeType?: string; mutability?: string; id?: number; name?: string }
    if (n.nodeType === 'VariableDeclaration' && n.mutability === 'immutable' && wanted.has(String(n.id)))
      out[String(n.id)] = n.name ?? ''
    for (const child of Object.values(node)) collectImmutables(child, wanted, out)
  }
}

/**
 * Names of a contract's immutables: `immutableReferences` is keyed by AST id, and the declaring AST may sit in a
 * base contract's artifact (FeeVault for the fee vaults), so every source the contract was compiled from is searched.
 */
export function immutableNames(name: string): Record<string, string> {
  const artifact = readForgeArtifact(artifactFile(name))
  const wanted = new Set(Object.keys(artifact.deployedBytecode.immutableReferences ?? {}))
  const out: Record<string, string> = {}
  if (wanted.size === 0) return out
  const dir = join(bedrockRoot(), 'forge-artifacts')
  for (const source of Object.keys(artifact.metadata.sources)) {
    const sourceDir = join(dir, basename(source))
    if (!existsSync(sourceDir)) continue
    for (const file of readdirSync(sourceDir))
      collectImmutables(readForgeArtifact(join(sourceDir, file)).ast, wanted, out)
    if (Object.keys(out).length === wanted.size) break
  }
  const missing = [...wanted].filter((id) => !out[id])
  if (missing.length) throw new BedrockArtifactError(`no AST declaration for immutables ${missing} of ${name}`)
  return out
}

/**
 * Everything the protocol package's genesis builder needs, read from the pinned package. With `cacheDir`, the result
 * is kept there as one JSON file keyed by the package version and the artifact list: reading it back takes a few ms,
 * while finding the immutables' names walks the ASTs of dozens of artifact files (~0.4 s of each fresh devnet).
 */
export function readGenesisArtifacts(cacheDir?: string): GenesisArtifacts {
  if (!cacheDir) return readGenesisArtifactsFromPackage()
  const key = createHash('sha256')
    .update(`${BEDROCK_VERSION}\n${GENESIS_ARTIFACT_NAMES.join(',')}`)
    .digest('hex')
  const file = join(cacheDir, `genesis-artifacts-${key.slice(0, 16)}.json`)
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as GenesisArtifacts
  } catch {
    const artifacts = readGenesisArtifactsFromPackage()
    mkdirSync(cacheDir, { recursive: true })
    const part = `${file}.${process.pid}`
    writeFileSync(part, JSON.stringify(artifacts))
    renameSync(part, file)
    return artifacts
  }
}

function readGenesisArtifactsFromPackage(): GenesisArtifacts {
  const entries = GENESIS_ARTIFACT_NAMES.map((name): [string, ContractArtifact] => {
    const a = readBedrockArtifact(name)
    return [
      name,
      {
        deployedBytecode: a.deployedBytecode,
        immutableReferences: a.immutableReferences,
        immutableNames: immutableNames(name),
        storageLayout: a.storageLayout,
      },
    ]
  })
  return Object.fromEntries(entries) as GenesisArtifacts
}

/** The `@custom:semver` the OP team documents on a contract's `version`: what `version()` must return. */
export function artifactSemver(name: string): string {
  const ast = JSON.stringify(readForgeArtifact(artifactFile(name)).ast)
  const versions = new Set([...ast.matchAll(/@custom:semver ([^\s"\\]+)/g)].map((m) => m[1]!))
  if (versions.size !== 1) throw new BedrockArtifactError(`${name} documents ${versions.size} semvers`)
  return [...versions][0]!
}
