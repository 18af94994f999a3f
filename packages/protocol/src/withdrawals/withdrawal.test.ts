import fc from 'fast-check'
import { type Address, encodeAbiParameters, getAddress, type Hex, pad, toEventSelector, zeroHash } from 'viem'
import { extractWithdrawalMessageLogs, getWithdrawalHashStorageSlot } from 'viem/op-stack'
import { describe, expect, test } from 'vitest'
import { MessagePassedLogError, WithdrawalHashMismatchError } from './errors.js'
import { decodeMessageNonce, encodeMessageNonce } from './message-nonce.js'
import {
  decodeMessagePassedLog,
  extractMessagePassedLogs,
  L2_TO_L1_MESSAGE_PASSER,
  MESSAGE_PASSED_TOPIC,
} from './message-passed.js'
import { withdrawalStorageSlot } from './storage-slot.js'
import { hashWithdrawal, type Withdrawal } from './withdrawal.js'

// OP Sepolia tx 0x078be396…b1e8, log 0 (wevm/viem src/op-stack/utils/extractWithdrawalMessageLogs.test.ts).
const sepoliaLog = {
  address: '0x4200000000000000000000000000000000000016',
  topics: [
    '0x02a52367d10742d8032712c1bb8e0144ff1ec5ffda1ed7d70bb05a2744955054',
    '0x00010000000000000000000000000000000000000000000000000000000000b5',
    '0x0000000000000000000000001a1e021a302c237453d3d45c7b82b19ceeb7e2e6',
    '0x0000000000000000000000001a1e021a302c237453d3d45c7b82b19ceeb7e2e6',
  ],
  data: '0x000000000000000000000000000000000000000000000000000000000000004500000000000000000000000000000000000000000000000000000000000052080000000000000000000000000000000000000000000000000000000000000080319fb0748049a3cffd0d3dc9ab6eff9d9fe06b38157a7183180e3d190dd2825b0000000000000000000000000000000000000000000000000000000000000000',
} as const satisfies { address: Address; topics: Hex[]; data: Hex }

// OP Mainnet tx 0x7b5cedcc…3147: an L2CrossDomainMessenger withdrawal (wevm/viem src/op-stack/utils/getWithdrawals.test.ts).
const mainnetWithdrawal: Withdrawal = {
  nonce: 1766847064778384329583297500742918515827483896875618958121606201292631369n,
  sender: '0x4200000000000000000000000000000000000007',
  target: '0x25ace71c97B33Cc4729CF772ae268934F7ab5fA1',
  value: 13000000000000000n,
  gasLimit: 287624n,
  data: '0xd764ad0b0001000000000000000000000000000000000000000000000000000000002d49000000000000000000000000420000000000000000000000000000000000001000000000000000000000000099c9fc46f92e8a1c0dec1b1747d010903e884be1000000000000000000000000000000000000000000000000002e2f6e5e148000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000c000000000000000000000000000000000000000000000000000000000000000a41635f5fd000000000000000000000000bcce5f55dfda11600e48e91598ad0f8645466142000000000000000000000000bcce5f55dfda11600e48e91598ad0f8645466142000000000000000000000000000000000000000000000000002e2f6e5e1480000000000000000000000000000000000000000000000000000000000000000080000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
}

const anyWithdrawal = fc.record({
  nonce: fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
  sender: fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(`0x${Buffer.from(b).toString('hex')}`)),
  target: fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => getAddress(`0x${Buffer.from(b).toString('hex')}`)),
  value: fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
  gasLimit: fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
  data: fc.uint8Array({ maxLength: 300 }).map((b): Hex => `0x${Buffer.from(b).toString('hex')}`),
})

/** The log the message passer emits for `w`. */
function messagePassedLog(w: Withdrawal, withdrawalHash = hashWithdrawal(w)) {
  return {
    address: L2_TO_L1_MESSAGE_PASSER,
    topics: [MESSAGE_PASSED_TOPIC, pad(`0x${w.nonce.toString(16)}`), pad(w.sender), pad(w.target)] as [Hex, ...Hex[]],
    data: encodeAbiParameters(
      [{ type: 'uint256' }, { type: 'uint256' }, { type: 'bytes' }, { type: 'bytes32' }],
      [w.value, w.gasLimit, w.data, withdrawalHash],
    ),
  }
}

describe('withdrawal hash', () => {
  test('matches the hash OP Mainnet stored for a real withdrawal', () => {
    expect(hashWithdrawal(mainnetWithdrawal)).toBe('0x178f1e0216fb50bef160eb8af7d1d98000026a84371cef4a13d8d79996cc8589')
  })

  test('changing any one field changes the hash', () => {
    const base = hashWithdrawal(mainnetWithdrawal)
    const tampered: Withdrawal[] = [
      { ...mainnetWithdrawal, nonce: mainnetWithdrawal.nonce + 1n },
      { ...mainnetWithdrawal, sender: '0x4200000000000000000000000000000000000010' },
      { ...mainnetWithdrawal, target: '0x4200000000000000000000000000000000000010' },
      { ...mainnetWithdrawal, value: mainnetWithdrawal.value + 1n },
      { ...mainnetWithdrawal, gasLimit: mainnetWithdrawal.gasLimit - 1n },
      { ...mainnetWithdrawal, data: `${mainnetWithdrawal.data}00` },
    ]
    for (const withdrawal of tampered) expect(hashWithdrawal(withdrawal)).not.toBe(base)
  })
})

describe('message passer storage slot', () => {
  test('matches viem’s known vector', () => {
    expect(withdrawalStorageSlot('0xB1C3824DEF40047847145E069BF467AA67E906611B9F5EF31515338DB0AABFA2')).toBe(
      '0x4a932049252365b3eedbc5190e18949f2ec11f39d3bef2d259764799a1b27d99',
    )
  })

  test('equals viem getWithdrawalHashStorageSlot on random hashes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const withdrawalHash: Hex = `0x${Buffer.from(bytes).toString('hex')}`
        expect(withdrawalStorageSlot(withdrawalHash)).toBe(getWithdrawalHashStorageSlot({ withdrawalHash }))
      }),
      { numRuns: 500 },
    )
  })
})

describe('MessagePassed log', () => {
  test('topic0 is the event selector of the 0.17.3 signature', () => {
    expect(toEventSelector('MessagePassed(uint256,address,address,uint256,uint256,bytes,bytes32)')).toBe(
      MESSAGE_PASSED_TOPIC,
    )
  })

  test('decodes the real OP Sepolia log, whose logged hash equals our hash of its fields', () => {
    expect(decodeMessagePassedLog(sepoliaLog)).toEqual({
      nonce: 1766847064778384329583297500742918515827483896875618958121606201292619957n,
      sender: '0x1a1E021A302C237453D3D45c7B82B19cEEB7E2e6',
      target: '0x1a1E021A302C237453D3D45c7B82B19cEEB7E2e6',
      value: 69n,
      gasLimit: 21000n,
      data: '0x',
      withdrawalHash: '0x319fb0748049a3cffd0d3dc9ab6eff9d9fe06b38157a7183180e3d190dd2825b',
    })
  })

  test('agrees with viem extractWithdrawalMessageLogs on random withdrawals', () => {
    fc.assert(
      fc.property(anyWithdrawal, (w) => {
        const log = messagePassedLog(w)
        const [ours] = extractMessagePassedLogs([log])
        const viemLogs = extractWithdrawalMessageLogs({
          logs: [
            {
              ...log,
              blockHash: zeroHash,
              blockNumber: 1n,
              logIndex: 0,
              transactionHash: zeroHash,
              transactionIndex: 0,
              removed: false,
            },
          ],
        })
        expect(ours).toEqual(viemLogs[0]?.args)
      }),
      { numRuns: 300 },
    )
  })

  test('logs of the same shape from another contract are ignored', () => {
    const other = { ...sepoliaLog, address: '0x4200000000000000000000000000000000000017' as const }
    expect(extractMessagePassedLogs([other, sepoliaLog])).toHaveLength(1)
  })

  test('a log whose withdrawalHash does not match its fields is a WithdrawalHashMismatchError', () => {
    const log = messagePassedLog(mainnetWithdrawal, `0x${'11'.repeat(32)}`)
    expect(() => decodeMessagePassedLog(log)).toThrow(WithdrawalHashMismatchError)
  })

  const malformed: [string, { topics: Hex[]; data: Hex }][] = [
    ['another event', { ...sepoliaLog, topics: [`0x${'00'.repeat(32)}`, ...sepoliaLog.topics.slice(1)] }],
    ['a missing topic', { ...sepoliaLog, topics: sepoliaLog.topics.slice(0, 3) }],
    [
      'an unpadded address topic',
      { ...sepoliaLog, topics: [...sepoliaLog.topics.slice(0, 3), `0x${'ff'.repeat(32)}`] },
    ],
    ['truncated data', { ...sepoliaLog, data: sepoliaLog.data.slice(0, 130) as Hex }],
    ['trailing data', { ...sepoliaLog, data: `${sepoliaLog.data}${'00'.repeat(32)}` }],
    ['no data', { ...sepoliaLog, data: '0x' }],
  ]
  test.each(malformed)('%s is a MessagePassedLogError', (_, log) => {
    expect(() => decodeMessagePassedLog(log)).toThrow(MessagePassedLogError)
  })
})

describe('message nonce', () => {
  test('the Sepolia nonce is version 1, counter 0xb5', () => {
    expect(decodeMessageNonce(BigInt(sepoliaLog.topics[1]))).toEqual({ version: 1, counter: 0xb5n })
  })

  test('encode inverts decode for every uint256', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (nonce) => {
        expect(encodeMessageNonce(decodeMessageNonce(nonce))).toBe(nonce)
      }),
      { numRuns: 500 },
    )
  })
})
