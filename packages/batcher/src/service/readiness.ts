import type { Health } from '@opl/service-kit'

/** A dependency the batcher cannot work without, and a cheap call that proves it answers. */
export type Dependency = { name: string; check: () => Promise<unknown> }

/**
 * `/readyz`: every dependency (L1, the rollup node, op-geth's RPC, the DA server) answers within `timeoutMs`. A probe
 * that hangs counts as down, so an orchestrator does not route work to a batcher whose L1 is gone.
 */
export async function probeDependencies(dependencies: readonly Dependency[], timeoutMs: number): Promise<Health> {
  const results = await Promise.all(
    dependencies.map(async ({ name, check }) => {
      try {
        await withTimeout(check(), timeoutMs)
        return [name, { ok: true }] as const
      } catch (error) {
        return [
          name,
          { ok: false, error: error instanceof Error ? error.message.split('\n')[0] : String(error) },
        ] as const
      }
    }),
  )
  return { ok: results.every(([, r]) => r.ok), dependencies: Object.fromEntries(results) }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
