/**
 * esbuild bundles of this repo's service CLIs, built once and cached, so a devnet starts seven Node processes without
 * each one loading hundreds of TypeScript files through tsx (measured: `opl-node --help` 1.9–3.2 s through tsx,
 * 0.37–0.73 s from a bundle, load 5 on 2 cores). A bundle is rebuilt when any file it was built from changed (size or
 * mtime, as `git pull` and `pnpm install` leave them) — the same idea as the contracts' build stamp.
 *
 * Self-contained on purpose (Node built-ins and esbuild only, erasable TypeScript): `scripts/devnet.mjs` imports it
 * with Node's own type stripping, before any TypeScript loader exists.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Plugin } from 'esbuild'

const REPO_ROOT = resolve(import.meta.dirname, '../../..')
/** Under node_modules: ignored by git, dropped with the install it was built from. */
export const BUNDLE_CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'opl-services')
/** V8 code cache for the bundles (NODE_COMPILE_CACHE): skips parsing and compiling them again on the next start. */
export const COMPILE_CACHE_DIR = join(BUNDLE_CACHE_DIR, 'v8')
/** Bumped whenever the build options below change, so older bundles count as stale. */
const BUILD_VERSION = 2
/** Build directories kept per CLI: a running service may still load a worker file from an older one. */
const KEEP_BUILDS = 3

/**
 * Worker threads a CLI starts from a file next to its own module (`new URL('./x.mjs', import.meta.url)`): in the
 * bundle that file is the worker's bundle, emitted under the same name beside the CLI's.
 */
const WORKER_ENTRIES: Record<string, Record<string, string>> = {
  'packages/attribution-engine/src/cli.ts': {
    'shard-worker-entry': 'packages/attribution-engine/src/pool/shard-worker.ts',
  },
}

/**
 * `import.meta` spelled in parts wherever this file names it in a string: this file is bundled too (into the devnet
 * CLI), and sourceLocations rewrites that expression wherever it appears in our sources, strings included.
 */
const META = ['import', 'meta'].join('.')
const BUNDLE_REQUIRE = `const require = __oplCreateRequire(${META}.url);`

/** Packages that locate a platform binary from their own file's path (`__filename`): they cannot be bundled. */
const SPAWNS_OWN_BINARY = new Set(['esbuild'])

type Input = [path: string, size: number, mtimeMs: number]
type Manifest = { version: number; esbuild: string; script: string; dir: string; inputs: Input[] }

export class ServiceBundleError extends Error {
  override name = 'ServiceBundleError'
}

/**
 * The bundled entry (`.mjs`) of a service CLI given relative to the repo root (`packages/node/src/cli.ts`), built
 * first when missing or stale. Concurrent callers (parallel tests, the devnet's parallel starts) may both build; each
 * writes its own directory and the manifest is swapped in atomically, so a reader never sees half a bundle.
 */
export function serviceBundle(script: string): Promise<string> {
  // one check or build per script at a time in this process; a later call checks the sources again
  let pending = inFlight.get(script)
  if (!pending) {
    pending = bundleOf(script).finally(() => inFlight.delete(script))
    inFlight.set(script, pending)
  }
  return pending
}
const inFlight = new Map<string, Promise<string>>()

async function bundleOf(script: string): Promise<string> {
  const name = script
    .replace(/^packages\//, '')
    .replace(/\/src\//, '-')
    .replace(/\.ts$/, '')
    .replaceAll('/', '-')
  const home = join(BUNDLE_CACHE_DIR, name)
  const esbuild = await import('esbuild')
  const current = readManifest(join(home, 'manifest.json'))
  if (current && isFresh(current, esbuild.version, script)) return join(home, current.dir, 'cli.mjs')
  return build(script, home, esbuild)
}

/**
 * How a service CLI runs: from its cached esbuild bundle (serviceBundle) with Node's compile cache, or with
 * `OPL_DEVNET_BUNDLE=false` from its sources through tsx's loader (stack traces with source lines). Either way the
 * PID we hold is the service itself (`node --import tsx <cli>`, not the `tsx` binary, which runs the script in a
 * second node process): a signal to it (kill -9 above all) must not leave the service running with its files locked.
 */
export async function serviceCommand(script: string): Promise<{ args: string[]; env: Record<string, string> }> {
  if (process.env.OPL_DEVNET_BUNDLE === 'false') return { args: ['--import', 'tsx', join(REPO_ROOT, script)], env: {} }
  return { args: [await serviceBundle(script)], env: { NODE_COMPILE_CACHE: COMPILE_CACHE_DIR } }
}

function readManifest(file: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest
  } catch {
    return undefined
  }
}

function isFresh(m: Manifest, esbuildVersion: string, script: string): boolean {
  if (m.version !== BUILD_VERSION || m.esbuild !== esbuildVersion || m.script !== script) return false
  for (const [path, size, mtimeMs] of m.inputs) {
    try {
      const s = statSync(join(REPO_ROOT, path))
      if (s.size !== size || s.mtimeMs !== mtimeMs) return false
    } catch {
      return false
    }
  }
  return true
}

async function build(script: string, home: string, esbuild: typeof import('esbuild')): Promise<string> {
  const workers = WORKER_ENTRIES[script] ?? {}
  const tmp = join(home, `tmp-${process.pid}-${randomBytes(4).toString('hex')}`)
  mkdirSync(tmp, { recursive: true })
  try {
    const result = await esbuild.build({
      absWorkingDir: REPO_ROOT,
      entryPoints: { cli: script, ...workers },
      outdir: tmp,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      metafile: true,
      logLevel: 'silent',
      // bundled CommonJS code calls require(): give the ES module one
      banner: { js: `import { createRequire as __oplCreateRequire } from 'node:module'; ${BUNDLE_REQUIRE}` },
      plugins: [nativeAddonsExternal(), sourceLocations(Object.keys(workers))],
    })
    const inputs: Input[] = Object.keys(result.metafile.inputs).map((path) => {
      const s = statSync(join(REPO_ROOT, path))
      return [path, s.size, s.mtimeMs]
    })
    const manifest = { version: BUILD_VERSION, esbuild: esbuild.version, script, inputs }
    const dir = createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16)
    if (existsSync(join(home, dir))) rmSync(tmp, { recursive: true, force: true })
    else renameSync(tmp, join(home, dir))
    const file = join(home, 'manifest.json')
    const part = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
    writeFileSync(part, JSON.stringify({ ...manifest, dir }))
    renameSync(part, file)
    dropOldBuilds(home, dir)
    return join(home, dir, 'cli.mjs')
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true })
    const errors = (err as { errors?: Array<{ text: string; location?: { file: string; line: number } }> }).errors
    const detail = errors?.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`)
    throw new ServiceBundleError(`cannot bundle ${script}${detail ? `:\n${detail.join('\n')}` : `: ${err}`}`)
  }
}

function dropOldBuilds(home: string, keep: string): void {
  const builds = readdirSync(home, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== keep && !e.name.startsWith('tmp-'))
    .map((e) => ({ path: join(home, e.name), mtime: statSync(join(home, e.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)
  for (const old of builds.slice(KEEP_BUILDS - 1)) rmSync(old.path, { recursive: true, force: true })
}

/**
 * Native addons stay outside the bundle (their loaders find the `.node` file next to their own code), and so does
 * esbuild (the devnet CLI's bundle builds the others), imported by absolute path so the bundle runs from anywhere.
 */
function nativeAddonsExternal(): Plugin {
  const resolving = Symbol('resolving')
  const native = new Map<string, boolean>()
  const isNative = (root: string) => {
    let known = native.get(root)
    if (known === undefined) {
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
        gypfile?: boolean
        dependencies?: Record<string, string>
      }
      known =
        pkg.gypfile === true ||
        existsSync(join(root, 'binding.gyp')) ||
        existsSync(join(root, 'prebuilds')) ||
        'node-gyp-build' in (pkg.dependencies ?? {})
      native.set(root, known)
    }
    return known
  }
  return {
    name: 'opl-native-addons-external',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === resolving || args.path.startsWith('node:')) return undefined
        const r = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: resolving,
        })
        // optional peers that are not installed (ws' bufferutil): their require() is in a try, keep it a runtime miss
        if (r.errors.length > 0) return { path: args.path, external: true }
        if (r.external || !r.path.includes(`${sep}node_modules${sep}`)) return r
        const inside = r.path.split(`${sep}node_modules${sep}`)
        const tail = inside.pop()!.split(sep)
        const root = join(
          inside.join(`${sep}node_modules${sep}`),
          'node_modules',
          ...tail.slice(0, tail[0]!.startsWith('@') ? 2 : 1),
        )
        return isNative(root) || SPAWNS_OWN_BINARY.has(tail[0]!) ? { path: r.path, external: true } : r
      })
    },
  }
}

/**
 * Our sources keep the location they would have unbundled: `import.meta.url` / `dirname` / `filename` become the
 * source file's (REPO_ROOT, artifacts and package resolution stay as under tsx) — except a worker's
 * `new URL('./<worker>.mjs', import.meta.url)`, which must name the worker bundle beside the CLI's.
 */
function sourceLocations(workers: string[]): Plugin {
  const keep = workers.map((w) => `new URL\\((['"])\\./${w}\\.mjs\\1, import\\.meta\\.url\\)`)
  const worker = keep.length ? new RegExp(keep.join('|'), 'g') : undefined
  return {
    name: 'opl-source-locations',
    setup(b) {
      b.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8')
        const kept: string[] = []
        const contents = (worker ? source.replace(worker, (m) => `__OPL_KEEP_${kept.push(m) - 1}__`) : source)
          .replaceAll(`${META}.dirname`, JSON.stringify(dirname(args.path)))
          .replaceAll(`${META}.filename`, JSON.stringify(args.path))
          .replaceAll(`${META}.url`, JSON.stringify(pathToFileURL(args.path).href))
          .replace(/__OPL_KEEP_(\d+)__/g, (_, i: string) => kept[Number(i)]!)
        return { contents, loader: 'ts' }
      })
    },
  }
}
