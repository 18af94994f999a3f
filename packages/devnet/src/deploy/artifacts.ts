import { resolve } from 'node:path'
import { readOwnArtifact } from '../artifacts.js'
import { type BedrockArtifact, readBedrockArtifact } from '../bedrock-artifacts.js'
import { type DeployArtifacts, PROXIED_L1_CONTRACTS } from './plan.js'

/** The monorepo root, where Hardhat writes our own artifacts. */
export const REPO_ROOT = resolve(import.meta.dirname, '../../../..')

/** contracts-bedrock 0.17.3 artifacts for the L1 side, plus our OPEN token from `artifacts/`. */
export function readDeployArtifacts(repoRoot = REPO_ROOT): DeployArtifacts {
  const names = [...PROXIED_L1_CONTRACTS, 'Proxy', 'ProxyAdmin'] as const
  const bedrock = Object.fromEntries(names.map((name) => [name, readBedrockArtifact(name)])) as Record<
    (typeof names)[number],
    BedrockArtifact
  >
  const open = readOwnArtifact(repoRoot, 'token/OpenToken.sol', 'OpenToken')
  return { ...bedrock, OPEN: { name: 'OpenToken', ...open } }
}
