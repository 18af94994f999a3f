import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import { describe, expect, test } from 'vitest'
import { type EngineReceipt, logsBloom } from '../engine/receipts.js'
import { decodeReceipts, encodeReceipts } from './receipt-codec.js'

const TRANSFER = hexToBytes('0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef')
const token = hexToBytes('0x1000000000000000000000000000000000000001')
const word = (n: number) => hexToBytes(`0x${n.toString(16).padStart(64, '0')}`)

describe('receipt codec', () => {
  test('round trip; the bloom is not stored but recomputed, and an older record with its bloom still reads', () => {
    const logs: EngineReceipt['logs'] = [[token, [TRANSFER, word(1), word(2)], word(5)]]
    const receipts: EngineReceipt[] = [
      {
        type: 2,
        status: 1,
        cumulativeGasUsed: 51_000n,
        gasUsed: 51_000n,
        logs,
        logsBloom: logsBloom(logs),
        effectiveGasPrice: 1_000_000_007n,
        l1Fee: { l1Fee: 9n, l1GasUsed: 1600n, l1GasPrice: 7n, l1BaseFeeScalar: 1368n },
      },
      {
        type: 0,
        status: 0,
        cumulativeGasUsed: 72_000n,
        gasUsed: 21_000n,
        logs: [],
        logsBloom: logsBloom([]),
        effectiveGasPrice: 1n,
      },
    ]
    const encoded = encodeReceipts(receipts)
    expect(new TextDecoder().decode(encoded)).not.toContain('logsBloom')
    expect(decodeReceipts(encoded)).toEqual(receipts)

    const older = JSON.parse(new TextDecoder().decode(encoded)) as Record<string, unknown>[]
    older[0]!.logsBloom = bytesToHex(receipts[0]!.logsBloom)
    expect(decodeReceipts(new TextEncoder().encode(JSON.stringify(older)))[0]!.logsBloom).toEqual(
      receipts[0]!.logsBloom,
    )
  })
})
