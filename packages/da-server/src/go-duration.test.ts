import { expect, test } from 'vitest'
import { DurationError, formatGoDuration, parseGoDuration } from './go-duration.js'

test('Go duration strings the proxy prints parse to milliseconds and print back the same', () => {
  for (const [text, ms] of [
    ['0s', 0],
    ['250ms', 250],
    ['25m0s', 1_500_000],
    ['1h0m0s', 3_600_000],
    ['1.5s', 1500],
  ] as const) {
    expect(parseGoDuration(text)).toBe(ms)
  }
  expect(formatGoDuration(1_500_000)).toBe('25m0s')
  expect(formatGoDuration(3_600_000)).toBe('1h0m0s')
  expect(formatGoDuration(250)).toBe('250ms')
  expect(parseGoDuration('0')).toBe(0)
})

test('anything else is a DurationError', () => {
  for (const bad of ['', '5', 'soon', '5x', '1m junk']) expect(() => parseGoDuration(bad)).toThrow(DurationError)
})
