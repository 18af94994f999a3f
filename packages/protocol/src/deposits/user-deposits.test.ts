import fc from 'fast-check'
import { type Address, getAddress, type Hex, zeroHash } from 'viem'
import { describe, expect, test } from 'vitest'
import { encodeDepositLog } from './deposit-log.js'
import type { DepositTransaction } from './deposit-transaction.js'
import { DepositLogTopicsError, DepositReceiptsError } from './errors.js'
import type { L1Log, L1Receipt } from './l1-receipt.js'
import { userDepositSourceHash } from './source-hash.js'
import {
  arbitraryAddress,
  arbitraryBytes,
  arbitraryHash,
  arbitraryUserDeposit,
  PROPERTY_TEST_TIMEOUT,
} from './test-support.js'
import { extractUserDeposits } from './user-deposits.js'

// op-node deposit_log_test.go MockDepositContractAddr
const portal = getAddress('0xdeadbeefdeadbeefdeadbeefdeadbeef00000000')
const blockHash = `0x${'c0'.repeat(32)}` as Hex

const arbitraryOtherLog = fc.record({
  address: arbitraryAddress,
  topics: fc.array(arbitraryHash, { maxLength: 4 }),
  data: arbitraryBytes(0, 64),
})

type ReceiptShape = { success: boolean; logs: boolean[] }
type UserDeposit = Omit<DepositTransaction, 'sourceHash' | 'isSystemTx'>
type OtherLog = Omit<L1Log, 'logIndex' | 'blockHash'>
type ReceiptSpec = { success: boolean; logs: ({ deposit: UserDeposit } | { other: OtherLog })[] }

/** Receipts of one block and the deposits derivation must find in them, as op-node's makeReceipts builds them. */
function buildReceipts(specs: ReceiptSpec[]): { receipts: L1Receipt[]; expected: DepositTransaction[] } {
  const receipts: L1Receipt[] = []
  const expected: DepositTransaction[] = []
  let logIndex = 0
  for (const { success, logs } of specs) {
    const receiptLogs: L1Log[] = []
    for (const log of logs) {
      if ('deposit' in log) {
        receiptLogs.push({ address: portal, ...encodeDepositLog(log.deposit), logIndex, blockHash })
        if (success) {
          const sourceHash = userDepositSourceHash({ l1BlockHash: blockHash, logIndex })
          expected.push({ ...log.deposit, sourceHash, isSystemTx: false })
        }
      } else {
        receiptLogs.push({ ...log.other, logIndex, blockHash })
      }
      logIndex++
    }
    receipts.push({ status: success ? 'success' : 'reverted', logs: receiptLogs })
  }
  return { receipts, expected }
}

function specsFromShape(shape: ReceiptShape[], seed: number): ReceiptSpec[] {
  const count = shape.reduce((total, receipt) => total + receipt.logs.length, 0)
  const deposits = fc.sample(arbitraryUserDeposit, { seed, numRuns: count })
  const others = fc.sample(arbitraryOtherLog, { seed: seed + 1, numRuns: count })
  let next = 0
  return shape.map(({ success, logs }) => ({
    success,
    logs: logs.map((isDeposit) => {
      const index = next++
      return isDeposit ? { deposit: deposits[index]! } : { other: others[index]! }
    }),
  }))
}

// The cases of op-node TestDeriveUserDeposits.
const cases: [string, ReceiptShape[]][] = [
  ['no deposits', []],
  ['other log', [{ success: true, logs: [false] }]],
  ['success deposit', [{ success: true, logs: [true] }]],
  ['failed deposit', [{ success: false, logs: [true] }]],
  [
    'mixed deposits',
    [
      { success: true, logs: [true] },
      { success: false, logs: [true] },
    ],
  ],
  ['success multiple logs', [{ success: true, logs: [true, true] }]],
  ['failed multiple logs', [{ success: false, logs: [true, true] }]],
  ['not all deposit logs', [{ success: true, logs: [true, false, true] }]],
  [
    'random',
    [
      { success: true, logs: [false, false, true] },
      { success: false, logs: [] },
      { success: true, logs: [true] },
    ],
  ],
]

describe('op-node TestDeriveUserDeposits cases', () => {
  test.each(cases)('%s', (_name, shape) => {
    const { receipts, expected } = buildReceipts(specsFromShape(shape, 1234))
    const deposits = extractUserDeposits({ receipts, depositContractAddress: portal, l1BlockHash: blockHash })
    expect(deposits).toEqual(expected)
  })
})

test(
  'random receipt sets: deposits of successful receipts only, with block-wide log indices',
  () => {
    const log = fc.oneof(
      arbitraryUserDeposit.map((deposit) => ({ deposit })),
      arbitraryOtherLog.map((other) => ({ other })),
    )
    const specs = fc.array(fc.record({ success: fc.boolean(), logs: fc.array(log, { maxLength: 4 }) }), {
      maxLength: 6,
    })
    fc.assert(
      fc.property(specs, (receiptSpecs) => {
        const { receipts, expected } = buildReceipts(receiptSpecs)
        const deposits = extractUserDeposits({ receipts, depositContractAddress: portal, l1BlockHash: blockHash })
        expect(deposits).toEqual(expected)
      }),
      { numRuns: 300 },
    )
  },
  PROPERTY_TEST_TIMEOUT,
)

describe('filtering and consistency', () => {
  const deposit = { from: portal, to: null, mint: 1n, value: 0n, gas: 100_000n, data: '0x' as Hex }
  const depositLog = (address: Address, logIndex?: number): L1Log => ({
    address,
    ...encodeDepositLog(deposit),
    logIndex,
  })

  test('a deposit event from another contract is ignored', () => {
    const receipts: L1Receipt[] = [{ status: 'success', logs: [depositLog(getAddress(`0x${'99'.repeat(20)}`))] }]
    expect(extractUserDeposits({ receipts, depositContractAddress: portal, l1BlockHash: blockHash })).toEqual([])
  })

  test('the contract address is compared case-insensitively', () => {
    const receipts: L1Receipt[] = [{ status: 'success', logs: [depositLog(portal.toLowerCase() as Address)] }]
    expect(extractUserDeposits({ receipts, depositContractAddress: portal, l1BlockHash: blockHash })).toHaveLength(1)
  })

  test('a malformed deposit log of the portal is an error, not skipped', () => {
    const log = depositLog(portal)
    const receipts: L1Receipt[] = [{ status: 'success', logs: [{ ...log, topics: log.topics.slice(0, 3) }] }]
    expect(() => extractUserDeposits({ receipts, depositContractAddress: portal, l1BlockHash: blockHash })).toThrow(
      DepositLogTopicsError,
    )
  })

  test('a log whose index is not its position in the block -> DepositReceiptsError', () => {
    const receipts: L1Receipt[] = [
      { status: 'success', logs: [depositLog(portal, 0)] },
      { status: 'success', logs: [depositLog(portal, 2)] },
    ]
    expect(() => extractUserDeposits({ receipts, depositContractAddress: portal, l1BlockHash: blockHash })).toThrow(
      DepositReceiptsError,
    )
  })

  test('a log from another block -> DepositReceiptsError', () => {
    const receipts: L1Receipt[] = [{ status: 'success', logs: [{ ...depositLog(portal, 0), blockHash: zeroHash }] }]
    expect(() => extractUserDeposits({ receipts, depositContractAddress: portal, l1BlockHash: blockHash })).toThrow(
      DepositReceiptsError,
    )
  })
})
