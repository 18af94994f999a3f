import fc from 'fast-check'
import { bytesToHex, type Hex, hexToBytes, zeroHash } from 'viem'
import { beforeAll, describe, expect, test } from 'vitest'
import { ProtocolError } from '../errors.js'
import { BatchTooShortError, decodeBatch, encodeBatch, UnknownBatchTypeError } from './batch.js'
import { RlpKindError, RlpNonCanonicalError, RlpShapeError, RlpTruncatedError } from './rlp.js'
import { type SingularBatch, SingularBatchEncodeError } from './singular-batch.js'
import { hash32, signTxPool } from './test-fixtures.js'

// op-node batch_test.go TestBatchRoundTrip, cases 1 and 2, with their encodings written out by hand:
// 0x00 ++ rlp([parent_hash, epoch_number, epoch_hash, timestamp, [tx...]]).
const EMPTY_BATCH: SingularBatch = {
  parentHash: zeroHash,
  epochNumber: 0n,
  epochHash: zeroHash,
  timestamp: 0n,
  transactions: [],
}
const EMPTY_BATCH_BYTES = `0x00f845a0${'00'.repeat(32)}80a0${'00'.repeat(32)}80c0`
const TWO_TX_BATCH: SingularBatch = {
  parentHash: `0x${'00'.repeat(31)}42`,
  epochNumber: 1n,
  epochHash: zeroHash,
  timestamp: 1647026951n,
  transactions: ['0x000000', '0x76fd7c'],
}
const TWO_TX_BATCH_BYTES =
  `0x00f851a0${'00'.repeat(31)}42` + // list header, parent_hash
  `01a0${'00'.repeat(32)}` + // epoch_number 1, epoch_hash
  '84622ba307' + // timestamp 1647026951
  'c8830000008376fd7c' // [0x000000, 0x76fd7c]

describe('singular batch', () => {
  test.each([
    ['empty batch', EMPTY_BATCH, EMPTY_BATCH_BYTES],
    ['two opaque txs', TWO_TX_BATCH, TWO_TX_BATCH_BYTES],
  ])('%s encodes to the op-node bytes and back', (_, batch, hex) => {
    expect(bytesToHex(encodeBatch({ type: 'singular', batch }))).toBe(hex)
    expect(decodeBatch(hexToBytes(hex as Hex))).toEqual({ type: 'singular', batch })
  })

  test('trailing bytes after the list are ignored, as op-node rlp.Decode ignores them', () => {
    const bytes = hexToBytes(`${TWO_TX_BATCH_BYTES}deadbeef` as Hex)
    expect(decodeBatch(bytes)).toEqual({ type: 'singular', batch: TWO_TX_BATCH })
  })

  test.each([
    ['too few elements', `0x00f844a0${'00'.repeat(32)}80a0${'00'.repeat(32)}80`, RlpShapeError],
    ['too many elements', `0x00f846a0${'00'.repeat(32)}80a0${'00'.repeat(32)}80c080`, RlpShapeError],
    ['31-byte parent hash', `0x00f8449f${'00'.repeat(31)}80a0${'00'.repeat(32)}80c0`, RlpShapeError],
    ['epoch 0 written as 0x00', `0x00f845a0${'00'.repeat(32)}00a0${'00'.repeat(32)}80c0`, RlpNonCanonicalError],
    ['tx list is a string', `0x00f845a0${'00'.repeat(32)}80a0${'00'.repeat(32)}8080`, RlpKindError],
    ['truncated list', EMPTY_BATCH_BYTES.slice(0, -4), RlpTruncatedError],
    ['a tx that is a list', `0x00f846a0${'00'.repeat(32)}80a0${'00'.repeat(32)}80c1c0`, RlpKindError],
  ])('%s is a typed decode error', (_, hex, error) => {
    expect(() => decodeBatch(hexToBytes(hex as Hex))).toThrow(error)
  })

  test('an empty batch and an unknown type byte are typed errors', () => {
    expect(() => decodeBatch(new Uint8Array(0))).toThrow(BatchTooShortError)
    expect(() => decodeBatch(Uint8Array.of(2, 0xc0))).toThrow(UnknownBatchTypeError)
  })

  test('refuses to encode hashes of the wrong size or negative numbers', () => {
    expect(() => encodeBatch({ type: 'singular', batch: { ...EMPTY_BATCH, parentHash: '0x00' } })).toThrow(
      SingularBatchEncodeError,
    )
    expect(() => encodeBatch({ type: 'singular', batch: { ...EMPTY_BATCH, timestamp: -1n } })).toThrow(
      SingularBatchEncodeError,
    )
  })

  describe('with real signed transactions', () => {
    let pool: Hex[] = []
    beforeAll(async () => {
      pool = (await signTxPool(40)).map((tx) => tx.raw)
    })

    test('encode -> decode round-trips', () => {
      fc.assert(
        fc.property(
          hash32,
          fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
          hash32,
          fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
          fc.array(fc.constantFrom(...pool), { maxLength: 12 }),
          (parentHash, epochNumber, epochHash, timestamp, transactions) => {
            const batch = { parentHash, epochNumber, epochHash, timestamp, transactions }
            expect(decodeBatch(encodeBatch({ type: 'singular', batch }))).toEqual({ type: 'singular', batch })
          },
        ),
        { numRuns: 2000 },
      )
    })

    test('any corruption of an encoding decodes to something or throws a ProtocolError', () => {
      const encoded = encodeBatch({ type: 'singular', batch: { ...TWO_TX_BATCH, transactions: pool.slice(0, 5) } })
      fc.assert(
        fc.property(
          fc.nat(encoded.length - 1),
          fc.integer({ min: 0, max: 255 }),
          fc.nat(encoded.length),
          (at, byte, cut) => {
            const bytes = encoded.slice(0, cut)
            if (at < bytes.length) bytes[at] = byte
            try {
              decodeBatch(bytes)
            } catch (error) {
              expect(error).toBeInstanceOf(ProtocolError)
            }
          },
        ),
        { numRuns: 3000 },
      )
    })
  })
})
