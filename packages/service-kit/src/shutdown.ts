/**
 * Runs `stop` once on the first SIGINT or SIGTERM, then exits 0 (1 if stopping failed). A second signal while
 * stopping exits at once with 130: an operator pressing Ctrl-C twice means it.
 */
export function onShutdown(name: string, stop: () => Promise<void>): void {
  let stopping = false
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130)
    stopping = true
    console.error(`${name}: ${signal}, stopping`)
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`${name}: stop failed: ${String(error)}`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
}
