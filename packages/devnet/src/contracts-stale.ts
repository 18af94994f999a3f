import { closeSync, existsSync, openSync, readdirSync, statSync, utimesSync } from 'node:fs'
import { join } from 'node:path'

function newestMtime(dir: string, keep: (file: string) => boolean): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !keep(entry.name)) continue
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

/** Touched after each build the devnet ran: Hardhat leaves its artifacts untouched when nothing changed. */
function stampFile(repoRoot: string): string {
  return join(repoRoot, 'artifacts', '.devnet-build-stamp')
}

/**
 * Whether `hardhat build` must run before the devnet deploys the repo's contracts: no artifacts yet, or a Solidity
 * source changed after the last build the devnet ran (a `git pull` gives changed files a fresh mtime). A no-op
 * Hardhat build costs seconds of start-up, so it runs only then.
 */
export function contractsStale(repoRoot: string): boolean {
  const stamp = stampFile(repoRoot)
  if (!existsSync(join(repoRoot, 'artifacts', 'contracts')) || !existsSync(stamp)) return true
  return newestMtime(join(repoRoot, 'contracts'), (f) => f.endsWith('.sol')) > statSync(stamp).mtimeMs
}

export function markContractsBuilt(repoRoot: string): void {
  const stamp = stampFile(repoRoot)
  closeSync(openSync(stamp, 'a'))
  const now = new Date()
  utimesSync(stamp, now, now)
}
