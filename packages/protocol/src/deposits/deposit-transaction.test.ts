import { encode as encodeRlp } from '@ethereumjs/rlp'
import fc from 'fast-check'
import { bytesToHex, concatBytes, getAddress, type Hex, hexToBytes, keccak256 } from 'viem'
import { parseTransaction, serializeTransaction } from 'viem/op-stack'
import { describe, expect, test } from 'vitest'
import { ProtocolError } from '../errors.js'
import {
  type DepositTransaction,
  decodeDepositTransaction,
  encodeDepositTransaction,
  hashDepositTransaction,
} from './deposit-transaction.js'
import { DepositTxFieldError, DepositTxRlpError, DepositTxTypeError } from './errors.js'
import { arbitraryBytes, arbitraryDepositTransaction, captureError, PROPERTY_TEST_TIMEOUT } from './test-support.js'

/** viem parses a deposit into this shape but does not export its type. */
type ViemParsedDeposit = { type: string; sourceHash: Hex; to?: Hex; mint?: bigint; value?: bigint; gas?: bigint }

const sourceHash: Hex = '0x18040f35752170c3339ddcd850f185c9cc46bdef4d6e1f2ab323f4d3d7104319'
const from = getAddress('0x977f82a600a1414e583f7f13623f1ac5d58b1c0b')

const minimal: DepositTransaction = {
  sourceHash,
  from,
  to: null,
  mint: 0n,
  value: 0n,
  gas: 0n,
  isSystemTx: false,
  data: '0x',
}

// Vectors from viem src/op-stack/TxEnvelopeDeposit.test.ts and serializers.test.ts.
describe('vectors', () => {
  test('empty fields encode as 0x80: creation, zero mint, value, gas, isSystemTx false, no data', () => {
    const serialized =
      '0x7ef83ca018040f35752170c3339ddcd850f185c9cc46bdef4d6e1f2ab323f4d3d710431994977f82a600a1414e583f7f13623f1ac5d58b1c0b808080808080'
    expect(encodeDepositTransaction(minimal)).toBe(serialized)
    expect(decodeDepositTransaction(serialized)).toEqual(minimal)
  })

  test('every field set, in op-geth order', () => {
    const tx: DepositTransaction = {
      sourceHash,
      from,
      to: getAddress('0xaabbccddeeff00112233445566778899aabbccdd'),
      mint: 42n,
      value: 1n,
      gas: 69_420n,
      isSystemTx: true,
      data: '0xdeadbeef',
    }
    const serialized =
      '0x7ef857a018040f35752170c3339ddcd850f185c9cc46bdef4d6e1f2ab323f4d3d710431994977f82a600a1414e583f7f13623f1ac5d58b1c0b94aabbccddeeff00112233445566778899aabbccdd2a0183010f2c0184deadbeef'
    expect(encodeDepositTransaction(tx)).toBe(serialized)
    expect(decodeDepositTransaction(hexToBytes(serialized))).toEqual(tx)
    expect(hashDepositTransaction(tx)).toBe(keccak256(serialized))
  })
})

describe('round trip and differential against viem/op-stack', () => {
  test(
    'decode(encode(tx)) is tx',
    () => {
      fc.assert(
        fc.property(arbitraryDepositTransaction, (tx) => {
          expect(decodeDepositTransaction(encodeDepositTransaction(tx))).toEqual(tx)
        }),
        { numRuns: 3000 },
      )
    },
    PROPERTY_TEST_TIMEOUT,
  )

  test(
    'our encoding is viem serializeTransaction byte for byte, and viem parses it back',
    () => {
      fc.assert(
        fc.property(arbitraryDepositTransaction, (tx) => {
          const ours = encodeDepositTransaction(tx)
          const viems = serializeTransaction({
            type: 'deposit',
            sourceHash: tx.sourceHash,
            from: tx.from,
            ...(tx.to === null ? {} : { to: tx.to }),
            mint: tx.mint,
            value: tx.value,
            gas: tx.gas,
            isSystemTx: tx.isSystemTx,
            data: tx.data,
          })
          expect(ours).toBe(viems)
          expect(hashDepositTransaction(tx)).toBe(keccak256(viems))
          const parsed = parseTransaction(ours) as ViemParsedDeposit
          expect(parsed.type).toBe('deposit')
          expect(parsed.sourceHash).toBe(tx.sourceHash)
          expect(parsed.to ?? null).toBe(tx.to === null ? null : tx.to.toLowerCase())
          expect(parsed.mint ?? 0n).toBe(tx.mint)
          expect(parsed.value ?? 0n).toBe(tx.value)
          expect(parsed.gas ?? 0n).toBe(tx.gas)
        }),
        { numRuns: 3000 },
      )
    },
    PROPERTY_TEST_TIMEOUT,
  )
})

const fields = (overrides: Partial<Record<number, Uint8Array | Uint8Array[]>> = {}): (Uint8Array | Uint8Array[])[] => {
  const base: (Uint8Array | Uint8Array[])[] = [
    hexToBytes(sourceHash),
    hexToBytes(from),
    new Uint8Array(0),
    new Uint8Array(0),
    new Uint8Array(0),
    new Uint8Array(0),
    new Uint8Array(0),
    new Uint8Array(0),
  ]
  for (const [index, value] of Object.entries(overrides)) base[Number(index)] = value!
  return base
}
const typed = (list: unknown[]): Hex => bytesToHex(concatBytes([Uint8Array.of(0x7e), encodeRlp(list as Uint8Array[])]))
const withTrailing = (hex: Hex, extra: string): Hex => `${hex}${extra}` as Hex

describe('malformed input -> typed error', () => {
  test.each([
    ['empty input', '0x' as Hex],
    ['legacy list prefix', '0xc0' as Hex],
    ['EIP-1559 type', '0x02c0' as Hex],
  ])('%s -> DepositTxTypeError', (_name, input) => {
    expect(() => decodeDepositTransaction(input)).toThrow(DepositTxTypeError)
  })

  const encodedMinimal = encodeDepositTransaction(minimal)
  test.each([
    ['odd-length hex', '0x7ec' as Hex],
    ['not hex at all', 'deadbeef' as Hex],
    ['empty list', '0x7ec0' as Hex],
    ['no body', '0x7e' as Hex],
    ['a string instead of a list', '0x7e80' as Hex],
    ['seven fields', typed(fields().slice(0, 7))],
    ['nine fields', typed([...fields(), new Uint8Array(0)])],
    ['a nested list field', typed(fields({ 2: [] }))],
    ['a trailing byte', withTrailing(encodedMinimal, '00')],
    ['a truncated body', encodedMinimal.slice(0, -2) as Hex],
    [
      'a single byte < 0x80 wrapped as a string',
      withTrailing(encodedMinimal.slice(0, -2) as Hex, '8105').replace('f83c', 'f83d') as Hex,
    ],
  ])('%s -> DepositTxRlpError', (_name, input) => {
    expect(() => decodeDepositTransaction(input)).toThrow(DepositTxRlpError)
  })

  test.each([
    ['sourceHash of 31 bytes', fields({ 0: new Uint8Array(31) }), 'sourceHash'],
    ['from of 19 bytes', fields({ 1: new Uint8Array(19) }), 'from'],
    ['to of 21 bytes', fields({ 2: new Uint8Array(21) }), 'to'],
    ['mint with a leading zero byte', fields({ 3: Uint8Array.of(0, 1) }), 'mint'],
    ['mint wider than 256 bits', fields({ 3: new Uint8Array(33).fill(1) }), 'mint'],
    ['value with a leading zero byte', fields({ 4: Uint8Array.of(0, 0x80) }), 'value'],
    ['gas wider than 64 bits', fields({ 5: new Uint8Array(9).fill(1) }), 'gas'],
    ['gas as 0x00', fields({ 5: Uint8Array.of(0) }), 'gas'],
    ['isSystemTx 0x02', fields({ 6: Uint8Array.of(2) }), 'isSystemTx'],
    ['isSystemTx 0x00', fields({ 6: Uint8Array.of(0) }), 'isSystemTx'],
  ])('%s -> DepositTxFieldError naming the field', (_name, list, field) => {
    const error = captureError(() => decodeDepositTransaction(typed(list)))
    expect(error).toBeInstanceOf(DepositTxFieldError)
    expect((error as DepositTxFieldError).details.field).toBe(field)
  })

  test.each([
    ['short sourceHash', { ...minimal, sourceHash: '0x1234' as Hex }, 'sourceHash'],
    ['bad from', { ...minimal, from: '0x1234' as Hex }, 'from'],
    ['bad to', { ...minimal, to: '0x1234' as Hex }, 'to'],
    ['negative mint', { ...minimal, mint: -1n }, 'mint'],
    ['value above uint256', { ...minimal, value: 2n ** 256n }, 'value'],
    ['gas above uint64', { ...minimal, gas: 2n ** 64n }, 'gas'],
    ['odd-length data', { ...minimal, data: '0x123' as Hex }, 'data'],
  ])('encoding %s -> DepositTxFieldError', (_name, tx, field) => {
    const error = captureError(() => encodeDepositTransaction(tx))
    expect(error).toBeInstanceOf(DepositTxFieldError)
    expect((error as DepositTxFieldError).details.field).toBe(field)
  })

  test(
    'random and mutated input either throws a ProtocolError or decodes canonically',
    () => {
      const mutated = fc
        .tuple(arbitraryDepositTransaction, fc.nat(), fc.integer({ min: 0, max: 255 }))
        .map(([tx, position, byte]) => {
          const bytes = hexToBytes(encodeDepositTransaction(tx))
          bytes[position % bytes.length] = byte
          return bytesToHex(bytes)
        })
      const random = arbitraryBytes(0, 120).map((hex) => `0x7e${hex.slice(2)}` as Hex)
      fc.assert(
        fc.property(fc.oneof(mutated, random), (input) => {
          let decoded: DepositTransaction
          try {
            decoded = decodeDepositTransaction(input)
          } catch (error) {
            expect(error).toBeInstanceOf(ProtocolError)
            return
          }
          // Only canonical encodings are accepted, so re-encoding gives back the very same bytes.
          expect(encodeDepositTransaction(decoded)).toBe(input)
        }),
        { numRuns: 5000 },
      )
    },
    PROPERTY_TEST_TIMEOUT,
  )
})
