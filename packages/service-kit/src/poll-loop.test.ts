import { describe, expect, test } from 'vitest'
import { PollLoop } from './poll-loop.js'

describe('PollLoop', () => {
  test('steps again at once while the step reports work, records a failure and keeps going, stops cleanly', async () => {
    const errors: string[] = []
    let calls = 0
    const loop = new PollLoop({
      intervalMs: 60_000,
      step: async () => {
        calls++
        if (calls === 2) throw new RangeError('boom')
        return calls < 4
      },
      onError: (kind) => errors.push(kind),
    })
    expect(loop.health()).toMatchObject({ ok: false, lastStepAt: 0 })
    loop.start()
    // Calls 1-4 run back to back (call 2 fails, so the loop sleeps: the 60 s interval ends only by stop()).
    for (let i = 0; i < 100 && calls < 2; i++) await new Promise((r) => setTimeout(r, 10))
    expect(loop.stats.lastError).toBe('RangeError: boom')
    expect(loop.health({ proposals: 3 })).toMatchObject({ ok: false, lastError: 'RangeError: boom', proposals: 3 })
    await loop.stop()
    expect(calls).toBe(2)
    expect(errors).toEqual(['RangeError'])
  })

  test('healthy after a successful step; stop() wakes a sleeping loop', async () => {
    const loop = new PollLoop({ intervalMs: 60_000, step: async () => false, onError: () => undefined })
    loop.start()
    for (let i = 0; i < 100 && loop.stats.lastStepAt === 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(loop.health()).toMatchObject({ ok: true, lastError: null })
    // Within the test timeout only if stop() cuts the 60 s sleep short.
    await loop.stop()
    expect(loop.stats.lastError).toBeUndefined()
  })
})
