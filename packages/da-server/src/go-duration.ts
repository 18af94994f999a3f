/**
 * Go `time.Duration` strings, because eigenda-proxy's `/memstore/config` speaks them ("25m0s", "500ms") and tools
 * written against the proxy send them. Only the units a DA config needs: h, m, s, ms, us/µs, ns.
 */
const UNITS_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 1e-6 }

export class DurationError extends Error {
  override name = 'DurationError'
}

/** Parses "1h2m3.5s", "250ms", "0" into milliseconds (rounded down to whole ms). */
export function parseGoDuration(text: string): number {
  if (text === '0') return 0
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/gy
  let total = 0
  let matched = 0
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * UNITS_MS[m[2]!]!
    matched = re.lastIndex
  }
  if (matched === 0 || matched !== text.length) throw new DurationError(`not a Go duration: ${JSON.stringify(text)}`)
  return Math.floor(total)
}

/** Formats milliseconds the way Go prints a Duration: "0s", "250ms", "25m0s", "1h0m0s". */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s'
  if (ms < 1000) return `${ms}ms`
  const h = Math.floor(ms / 3_600_000)
  const m = Math.floor((ms % 3_600_000) / 60_000)
  const s = (ms % 60_000) / 1000
  if (h > 0) return `${h}h${m}m${s}s`
  if (m > 0) return `${m}m${s}s`
  return `${s}s`
}
