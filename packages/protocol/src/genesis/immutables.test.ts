import { type Hex, pad } from 'viem'
import { expect, test } from 'vitest'
import { GenesisError } from './errors.js'
import { patchImmutables } from './immutables.js'

const code = `0x60${'00'.repeat(100)}` as Hex
const references = {
  '7': [{ start: 1, length: 32 }],
  '9': [
    { start: 33, length: 32 },
    { start: 68, length: 32 },
  ],
}
const names = { '7': 'RECIPIENT', '9': 'MIN_WITHDRAWAL_AMOUNT' }

test('every reference of every immutable gets its value', () => {
  const patched = patchImmutables(code, references, names, { RECIPIENT: 0xbeefn, MIN_WITHDRAWAL_AMOUNT: 10n })
  const at = (start: number) => `0x${patched.slice(2 + start * 2, 2 + (start + 32) * 2)}`
  expect(at(1)).toBe(pad('0xbeef', { size: 32 }))
  expect(at(33)).toBe(pad('0x0a', { size: 32 }))
  expect(at(68)).toBe(pad('0x0a', { size: 32 }))
  expect(patched.length).toBe(code.length)
  expect(patched.slice(0, 4)).toBe('0x60')
})

test('a missing value, an unknown name or a range past the code end is refused', () => {
  expect(() => patchImmutables(code, references, names, { RECIPIENT: 1n }, 'Vault')).toThrow(
    /no value for immutable Vault.MIN_WITHDRAWAL_AMOUNT/,
  )
  expect(() =>
    patchImmutables(code, references, names, { RECIPIENT: 1n, MIN_WITHDRAWAL_AMOUNT: 1n, OTHER: 1n }, 'Vault'),
  ).toThrow(GenesisError)
  expect(() => patchImmutables(code, { '7': [{ start: 90, length: 32 }] }, names, { RECIPIENT: 1n })).toThrow(
    /bad immutable range/,
  )
  expect(() => patchImmutables(code, references, { '7': 'RECIPIENT' }, { RECIPIENT: 1n })).toThrow(
    /no name for immutable/,
  )
})
