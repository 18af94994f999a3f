/**
 * Top self-time functions of a V8 `.cpuprofile` (from `node --cpu-prof`), and the same grouped by package.
 *
 *   pnpm exec tsx bench/lib/profile-top.ts <file.cpuprofile> [--top 25]
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

type ProfileNode = {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export function topSelf(profile: Profile, top: number): { functions: string[]; packages: string[]; totalMs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  })
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const byFunction = new Map<string, number>()
  const byPackage = new Map<string, number>()
  for (const [id, micros] of self) {
    const frame = byId.get(id)!.callFrame
    const file = frame.url.replace(/^file:\/\//, '').replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
    const short = file.replace(/^\/work\/main\//, '')
    const name = `${frame.functionName || '(anonymous)'} ${short ? `${short}:${frame.lineNumber + 1}` : ''}`.trim()
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros)
    const pkg = !file
      ? frame.functionName || '(native)'
      : file.startsWith('node:')
        ? 'node internals'
        : file.startsWith('/work/main/')
          ? short.split('/').slice(0, 2).join('/')
          : file.startsWith('@')
            ? file.split('/').slice(0, 2).join('/')
            : file.split('/')[0]!
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros)
  }
  const rank = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, micros]) =>
          `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${name}`,
      )
  return { functions: rank(byFunction), packages: rank(byPackage), totalMs: total / 1000 }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' } },
  })
  for (const file of positionals) {
    const { functions, packages, totalMs } = topSelf(JSON.parse(readFileSync(file, 'utf8')), Number(values.top))
    console.log(`${file}: ${totalMs.toFixed(0)} ms sampled\n\nby package (self time):`)
    for (const line of packages) console.log(line)
    console.log('\ntop functions (self time):')
    for (const line of functions) console.log(line)
  }
}
