import fc from 'fast-check'
import { bytesToHex, type Hex, hexToBytes, parseTransaction, toRlp } from 'viem'
import { beforeAll, describe, expect, test } from 'vitest'
import { ProtocolError } from '../errors.js'
import { decodeBatch, encodeBatch } from './batch.js'
import { BitlistOverflowError } from './bitlist.js'
import { decodeSignedTx, encodeSignedTx, UnsupportedTxTypeError } from './signed-tx.js'
import { decodeRawSpanBatchContent, deriveSpanBatch, encodeRawSpanBatchContent } from './span-batch.js'
import { singularBatchesToSpanBatch, spanBatchToSingularBatches } from './span-batch-convert.js'
import {
  SpanBatchChainIdMismatchError,
  SpanBatchEmptyError,
  SpanBatchEncodeError,
  SpanBatchInvalidTxTypeError,
  SpanBatchMissingOriginError,
  SpanBatchSignatureError,
  SpanBatchTooBigError,
  SpanBatchTruncatedError,
  SpanBatchTxDataKindError,
} from './span-batch-errors.js'
import { MAX_SPAN_BATCH_ELEMENT_COUNT, readSpanBatchTxData } from './span-batch-tx.js'
import { consecutiveSingularBatches, signTxPool, TEST_CHAIN_ID } from './test-fixtures.js'
import { encodeUvarint, UvarintOverflowError } from './uvarint.js'

// The EIP-155 example transaction (chain id 1, nonce 9, 20 gwei, 21000 gas, 1 ether to 0x3535...), signed bytes
// as published in EIP-155.
const EIP155_TX: Hex =
  '0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83'
const R = '28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276'
const S = '67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83'

// One block at timestamp 1000 (genesis 0), L1 origin 5 (advanced), holding the EIP-155 tx; written field by field.
const ONE_TX_SPAN_CONTENT = `0x${[
  'e807', // rel_timestamp 1000
  '05', // l1_origin_num 5
  '01'.repeat(20), // parent_check
  '02'.repeat(20), // l1_origin_check
  '01', // block_count 1
  '01', // origin_bits: block 0 advanced
  '01', // block_tx_counts [1]
  '00', // contract_creation_bits
  '00', // y_parity_bits: v = 37 = 2 * 1 + 35 + 0
  R + S, // tx_sigs
  '35'.repeat(20), // tx_tos
  'd0880de0b6b3a76400008504a817c80080', // tx_datas: rlp([1 ether, 20 gwei, ""])
  '09', // tx_nonces
  '88a401', // tx_gases 21000
  '01', // protected_bits: EIP-155
].join('')}` as Hex

const ONE_TX_BATCH = {
  parentHash: `0x${'01'.repeat(20)}${'ff'.repeat(12)}` as Hex,
  epochNumber: 5n,
  epochHash: `0x${'02'.repeat(20)}${'ee'.repeat(12)}` as Hex,
  timestamp: 1000n,
  transactions: [EIP155_TX],
}
const MAINNET = { genesisTime: 0n, blockTime: 2n, chainId: 1n }

describe('span batch wire format', () => {
  test('a hand-built span batch decodes field by field', () => {
    const raw = decodeRawSpanBatchContent(hexToBytes(ONE_TX_SPAN_CONTENT))
    expect(raw).toMatchObject({
      relTimestamp: 1000n,
      l1OriginNumber: 5n,
      parentCheck: `0x${'01'.repeat(20)}`,
      l1OriginCheck: `0x${'02'.repeat(20)}`,
      originBits: [true],
      blockTxCounts: [1],
    })
    expect(raw.txs).toMatchObject({
      contractCreationBits: [false],
      yParityBits: [false],
      signatures: [{ r: BigInt(`0x${R}`), s: BigInt(`0x${S}`) }],
      tos: [`0x${'35'.repeat(20)}`],
      types: [0],
      nonces: [9n],
      gases: [21000n],
      protectedBits: [true],
    })
  })

  test('deriving it rebuilds the signed EIP-155 transaction byte for byte', () => {
    const span = deriveSpanBatch(decodeRawSpanBatchContent(hexToBytes(ONE_TX_SPAN_CONTENT)), MAINNET)
    expect(span.elements).toEqual([{ epochNumber: 5n, timestamp: 1000n, transactions: [EIP155_TX] }])
  })

  test('packing the singular batch gives the same bytes', () => {
    const raw = singularBatchesToSpanBatch([ONE_TX_BATCH], { ...MAINNET, firstBlockStartsEpoch: true })
    expect(bytesToHex(encodeRawSpanBatchContent(raw))).toBe(ONE_TX_SPAN_CONTENT)
    expect(bytesToHex(encodeBatch({ type: 'span', batch: raw }))).toBe(`0x01${ONE_TX_SPAN_CONTENT.slice(2)}`)
  })

  test('origins walk back from l1_origin_num; bit 0 only concerns the block before the span', () => {
    const raw = decodeRawSpanBatchContent(hexToBytes(ONE_TX_SPAN_CONTENT))
    const blocks = { ...raw, originBits: [true, false, true, true], blockTxCounts: [1, 0, 0, 0], l1OriginNumber: 10n }
    const span = deriveSpanBatch(blocks, { genesisTime: 100n, blockTime: 2n, chainId: 1n })
    expect(span.elements.map((e) => e.epochNumber)).toEqual([8n, 8n, 9n, 10n])
    expect(span.elements.map((e) => e.timestamp)).toEqual([1100n, 1102n, 1104n, 1106n])
  })

  test('a wrong chain id changes v, so the signature no longer matches the sender', () => {
    const span = deriveSpanBatch(decodeRawSpanBatchContent(hexToBytes(ONE_TX_SPAN_CONTENT)), {
      ...MAINNET,
      chainId: 2n,
    })
    expect(span.elements[0]!.transactions[0]).not.toBe(EIP155_TX)
  })
})

describe('span batch validity rules (op-node span_batch_test.go)', () => {
  const prefix = `0x${'00'.repeat(2)}${'00'.repeat(40)}`
  const withPayload = (payload: string) => hexToBytes(`${prefix}${payload}` as Hex)

  test('block_count 0 is an empty span batch (TestEmptySpanBatch)', () => {
    expect(() => decodeRawSpanBatchContent(withPayload('00'))).toThrow(SpanBatchEmptyError)
  })

  test('block_count above the element limit is too big (TestSpanBatchMaxBlockCount)', () => {
    expect(() => decodeRawSpanBatchContent(withPayload('ffffffffffffffffff01'))).toThrow(SpanBatchTooBigError)
    const over = bytesToHex(encodeUvarint(MAX_SPAN_BATCH_ELEMENT_COUNT + 1)).slice(2)
    expect(() => decodeRawSpanBatchContent(withPayload(over))).toThrow(SpanBatchTooBigError)
  })

  test('a block tx count above the limit is too big (TestSpanBatchMaxBlockTxCount)', () => {
    expect(() => decodeRawSpanBatchContent(withPayload('0100ffffffffffffffffff01'))).toThrow(SpanBatchTooBigError)
  })

  test('block tx counts summing above the limit are too big (TestSpanBatchTotalBlockTxCountNotOverflow)', () => {
    const count = bytesToHex(encodeUvarint(MAX_SPAN_BATCH_ELEMENT_COUNT - 1)).slice(2)
    expect(() => decodeRawSpanBatchContent(withPayload(`0200${count}${count}`))).toThrow(SpanBatchTooBigError)
  })

  test('origin bits with a bit above block_count are invalid', () => {
    expect(() => decodeRawSpanBatchContent(withPayload('0102'))).toThrow(BitlistOverflowError)
  })

  test('a uvarint overflowing 64 bits is invalid', () => {
    expect(() => decodeRawSpanBatchContent(hexToBytes('0xffffffffffffffffff02'))).toThrow(UvarintOverflowError)
  })

  test('truncation anywhere is a typed error, never a crash', () => {
    const bytes = hexToBytes(ONE_TX_SPAN_CONTENT)
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(() => decodeRawSpanBatchContent(bytes.subarray(0, cut))).toThrow(ProtocolError)
    }
  })

  test('tx data that is an RLP string is rejected (TestSpanBatchReadTxDataInvalid)', () => {
    expect(() => readSpanBatchTxData(toRlp('0x64756d6d79', 'bytes'), 0)).toThrow(SpanBatchTxDataKindError)
  })

  test('tx data above 10,000,000 bytes is too big before it is read (TestSpanBatchMaxTxData)', () => {
    const header = Uint8Array.of(0x02, 0xfa, 0x98, 0x96, 0x81) // type 2, list of 10,000,001 bytes, no payload
    expect(() => readSpanBatchTxData(header, 0)).toThrow(SpanBatchTooBigError)
    const justFits = Uint8Array.of(0x02, 0xfa, 0x98, 0x96, 0x7c) // 4 header bytes + 9,999,996 = limit
    expect(() => readSpanBatchTxData(justFits, 0)).toThrow(SpanBatchTruncatedError)
  })

  test('an unknown tx type is read, then rejected when deriving (TestSpanBatchTxsRecoverVInvalidTxType)', () => {
    const content = hexToBytes(ONE_TX_SPAN_CONTENT)
    const dataAt = content.indexOf(0xd0)
    const deposit = Uint8Array.of(...content.subarray(0, dataAt), 0x7e, ...content.subarray(dataAt))
    // protected_bits now counts no legacy tx: drop its byte.
    const raw = decodeRawSpanBatchContent(deposit.subarray(0, deposit.length - 1))
    expect(raw.txs.types).toEqual([0x7e])
    expect(() => deriveSpanBatch(raw, MAINNET)).toThrow(SpanBatchInvalidTxTypeError)
  })

  test('a 0x00 type byte counts as legacy for protected_bits but is not a valid tx (op-node quirk)', () => {
    const content = hexToBytes(ONE_TX_SPAN_CONTENT)
    const dataAt = content.indexOf(0xd0)
    const zeroTyped = Uint8Array.of(...content.subarray(0, dataAt), 0x00, ...content.subarray(dataAt))
    const raw = decodeRawSpanBatchContent(zeroTyped)
    expect(raw.txs.protectedBits).toEqual([true])
    expect(() => deriveSpanBatch(raw, MAINNET)).toThrow(UnsupportedTxTypeError)
  })
})

describe('span batches of real signed transactions', () => {
  let pool: { kind: string; raw: Hex }[] = []
  beforeAll(async () => {
    pool = await signTxPool(60)
  })
  const options = { genesisTime: 0n, blockTime: 2n, chainId: TEST_CHAIN_ID }

  test('our signed-tx codec agrees with viem and re-encodes byte for byte', () => {
    for (const { raw } of pool) {
      const tx = decodeSignedTx(hexToBytes(raw))
      const viem = parseTransaction(raw)
      expect(bytesToHex(encodeSignedTx(tx))).toBe(raw)
      expect(tx.nonce).toBe(BigInt(viem.nonce ?? 0))
      expect(tx.gas).toBe(viem.gas)
      expect(tx.to?.toLowerCase() ?? null).toBe(viem.to?.toLowerCase() ?? null)
      expect(tx.value).toBe(viem.value ?? 0n)
      expect(tx.r).toBe(BigInt(viem.r ?? 0))
    }
  })

  test('singular batches -> span batch -> bytes -> derived blocks gives back every block and tx', () => {
    fc.assert(
      fc.property(consecutiveSingularBatches(pool.map((tx) => tx.raw)), ({ batches, firstStartsEpoch }) => {
        const raw = singularBatchesToSpanBatch(batches, { ...options, firstBlockStartsEpoch: firstStartsEpoch })
        const bytes = encodeBatch({ type: 'span', batch: raw })
        const decoded = decodeBatch(bytes)
        expect(decoded).toEqual({ type: 'span', batch: raw })
        const span = deriveSpanBatch(raw, options)
        expect(span.elements).toEqual(
          batches.map(({ epochNumber, timestamp, transactions }) => ({ epochNumber, timestamp, transactions })),
        )
        expect(span.parentCheck).toBe(batches[0]!.parentHash.slice(0, 42))
        const origins = batches.map((b) => ({ number: b.epochNumber, hash: b.epochHash }))
        const singular = spanBatchToSingularBatches(span, { l1Origins: origins })
        expect(singular).toEqual(batches.map(({ parentHash: _, ...rest }) => rest))
        expect(raw.originBits[0]).toBe(firstStartsEpoch)
      }),
      { numRuns: 1000 },
    )
  }, 120_000)

  test('blocks at or before the safe head are skipped; a missing origin is a typed error', () => {
    const batches = [0n, 1n, 2n].map((i) => ({ ...ONE_TX_BATCH, timestamp: 1000n + 2n * i, transactions: [] }))
    const raw = singularBatchesToSpanBatch(batches, { ...MAINNET, firstBlockStartsEpoch: false })
    const span = deriveSpanBatch(raw, MAINNET)
    const l1Origins = [{ number: 5n, hash: ONE_TX_BATCH.epochHash }]
    expect(spanBatchToSingularBatches(span, { l1Origins, l2SafeHeadTime: 1002n }).map((b) => b.timestamp)).toEqual([
      1004n,
    ])
    expect(() => spanBatchToSingularBatches(span, { l1Origins: [] })).toThrow(SpanBatchMissingOriginError)
  })

  test('refuses blocks a span batch cannot represent', () => {
    const base = { ...MAINNET, firstBlockStartsEpoch: true }
    const gap = [ONE_TX_BATCH, { ...ONE_TX_BATCH, timestamp: 1004n }]
    expect(() => singularBatchesToSpanBatch(gap, base)).toThrow(SpanBatchEncodeError)
    const skip = [ONE_TX_BATCH, { ...ONE_TX_BATCH, timestamp: 1002n, epochNumber: 7n }]
    expect(() => singularBatchesToSpanBatch(skip, base)).toThrow(SpanBatchEncodeError)
    expect(() => singularBatchesToSpanBatch([], base)).toThrow(SpanBatchEncodeError)
  })

  test('refuses txs signed for another chain and signatures it cannot carry', () => {
    const base = { ...MAINNET, firstBlockStartsEpoch: true }
    expect(() => singularBatchesToSpanBatch([ONE_TX_BATCH], { ...base, chainId: 10n })).toThrow(
      SpanBatchChainIdMismatchError,
    )
    const typed = pool.find((tx) => tx.kind === 'eip1559')!.raw
    expect(() => singularBatchesToSpanBatch([{ ...ONE_TX_BATCH, transactions: [typed] }], base)).toThrow(
      SpanBatchChainIdMismatchError,
    )
    const v29 = encodeSignedTx({
      ...(decodeSignedTx(hexToBytes(EIP155_TX)) as { type: 'legacy' } & ReturnType<typeof decodeSignedTx>),
      v: 29n,
    } as never)
    expect(() => singularBatchesToSpanBatch([{ ...ONE_TX_BATCH, transactions: [bytesToHex(v29)] }], base)).toThrow(
      SpanBatchSignatureError,
    )
  })

  test('corrupted span batch bytes decode and derive to something or throw a ProtocolError', () => {
    const raw = singularBatchesToSpanBatch([{ ...ONE_TX_BATCH, transactions: pool.slice(0, 10).map((tx) => tx.raw) }], {
      ...options,
      genesisTime: 0n,
      firstBlockStartsEpoch: true,
    })
    const encoded = encodeRawSpanBatchContent(raw)
    fc.assert(
      fc.property(
        fc.nat(encoded.length - 1),
        fc.integer({ min: 0, max: 255 }),
        fc.nat(encoded.length),
        (at, byte, cut) => {
          const bytes = encoded.slice(0, cut)
          if (at < bytes.length) bytes[at] = byte
          try {
            deriveSpanBatch(decodeRawSpanBatchContent(bytes), options)
          } catch (error) {
            expect(error).toBeInstanceOf(ProtocolError)
          }
        },
      ),
      { numRuns: 3000 },
    )
  })
})
