import fc from 'fast-check'
import { type Hex, hexToBigInt, pad, toHex } from 'viem'
import { expect, test } from 'vitest'
import { GenesisError } from './errors.js'
import { type Storage, type StorageLayout, writeSlot, writeVariable } from './storage-layout.js'

/** The head of L2CrossDomainMessenger's layout in contracts-bedrock 0.17.3 (spacer, then Initializable). */
const messengerLayout: StorageLayout = {
  storage: [
    { label: 'spacer_0_0_20', slot: '0', offset: 0, type: 't_address' },
    { label: '_initialized', slot: '0', offset: 20, type: 't_uint8' },
    { label: '_initializing', slot: '0', offset: 21, type: 't_bool' },
    { label: 'xDomainMsgSender', slot: '204', offset: 0, type: 't_address' },
    { label: 'successfulMessages', slot: '203', offset: 0, type: 't_mapping(t_bytes32,t_bool)' },
  ],
  types: {
    t_address: { encoding: 'inplace', label: 'address', numberOfBytes: '20' },
    t_uint8: { encoding: 'inplace', label: 'uint8', numberOfBytes: '1' },
    t_bool: { encoding: 'inplace', label: 'bool', numberOfBytes: '1' },
    't_mapping(t_bytes32,t_bool)': { encoding: 'mapping', label: 'mapping(bytes32 => bool)', numberOfBytes: '32' },
  },
}

const slot = (n: number) => pad(toHex(n), { size: 32 })

test('a variable at offset 20 lands in bytes 11 of the big-endian word, as solc packs it', () => {
  const storage: Storage = {}
  writeVariable(storage, messengerLayout, '_initialized', 1n)
  expect(storage[slot(0)]).toBe(pad(toHex(1n << 160n), { size: 32 }))
  writeVariable(storage, messengerLayout, 'xDomainMsgSender', 0xdeadn)
  expect(storage[slot(204)]).toBe(pad('0xdead', { size: 32 }))
})

test('packing keeps the neighbours of a variable and zero words are not stored', () => {
  const storage: Storage = {}
  writeVariable(storage, messengerLayout, 'spacer_0_0_20', 0x1234n)
  writeVariable(storage, messengerLayout, '_initializing', true)
  writeVariable(storage, messengerLayout, '_initialized', 7n)
  expect(hexToBigInt(storage[slot(0)]!)).toBe((1n << 168n) | (7n << 160n) | 0x1234n)
  writeVariable(storage, messengerLayout, 'spacer_0_0_20', 0n)
  writeVariable(storage, messengerLayout, '_initializing', false)
  writeVariable(storage, messengerLayout, '_initialized', 0n)
  expect(storage).toEqual({})
})

test('any value written at any offset reads back and leaves the rest of the word alone', () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 1, max: 32 })
        .chain((size) =>
          fc.tuple(
            fc.constant(size),
            fc.integer({ min: 0, max: 32 - size }),
            fc.bigInt({ min: 0n, max: 2n ** BigInt(size * 8) - 1n }),
            fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
          ),
        ),
      ([size, offset, value, before]) => {
        const layout: StorageLayout = {
          storage: [{ label: 'v', slot: '3', offset, type: 't' }],
          types: { t: { encoding: 'inplace', label: 't', numberOfBytes: String(size) } },
        }
        const storage: Storage = {}
        writeSlot(storage, slot(3), before)
        writeVariable(storage, layout, 'v', value)
        const word = storage[slot(3)] ? hexToBigInt(storage[slot(3)]!) : 0n
        const shift = BigInt(offset * 8)
        const mask = ((1n << BigInt(size * 8)) - 1n) << shift
        expect((word & mask) >> shift).toBe(value)
        expect(word & ~mask).toBe(before & ~mask)
      },
    ),
    { numRuns: 300 },
  )
})

test('an unknown label, a mapping or an oversized value is refused with the variable named', () => {
  const storage: Storage = {}
  const attempt = (label: string, value: bigint) => () => writeVariable(storage, messengerLayout, label, value, 'L2CDM')
  expect(attempt('otherMessenger', 1n)).toThrow(GenesisError)
  try {
    attempt('otherMessenger', 1n)()
  } catch (e) {
    expect((e as GenesisError).details).toEqual({ contract: 'L2CDM', label: 'otherMessenger' })
  }
  expect(attempt('successfulMessages', 1n)).toThrow(/not a value type/)
  expect(attempt('_initialized', 256n)).toThrow(/does not fit in 1 bytes/)
})

test('raw slots are normalised to 32-byte lowercase keys', () => {
  const storage: Storage = {}
  writeSlot(storage, '0xABC' as Hex, 5n)
  expect(Object.keys(storage)).toEqual([pad('0xabc', { size: 32 })])
})
