import fc from 'fast-check'
import {
  type Address,
  encodeAbiParameters,
  getAddress,
  type Hex,
  keccak256,
  padHex,
  stringToBytes,
  zeroHash,
} from 'viem'
import { getL2TransactionHash, opaqueDataToDepositData } from 'viem/op-stack'
import { describe, expect, test } from 'vitest'
import { ProtocolError } from '../errors.js'
import { type DepositLog, decodeDepositLog, encodeDepositLog, TRANSACTION_DEPOSITED_TOPIC } from './deposit-log.js'
import { hashDepositTransaction } from './deposit-transaction.js'
import { DepositLogDataError, DepositLogTopicsError, DepositLogVersionError, OpaqueDepositDataError } from './errors.js'
import { decodeOpaqueDepositData, encodeOpaqueDepositData } from './opaque-data.js'
import { userDepositSourceHash } from './source-hash.js'
import {
  arbitraryAddress,
  arbitraryBytes,
  arbitraryHash,
  arbitraryUserDeposit,
  captureError,
  PROPERTY_TEST_TIMEOUT,
} from './test-support.js'

/** A raw log built with viem's ABI encoder, independent of our `encodeDepositLog`. */
function rawDepositLog(args: {
  from: Address
  to: Address
  opaqueData: Hex
  blockHash: Hex
  logIndex: number
  version?: bigint
}): DepositLog {
  return {
    topics: [
      TRANSACTION_DEPOSITED_TOPIC,
      padHex(args.from, { size: 32 }),
      padHex(args.to, { size: 32 }),
      padHex(`0x${(args.version ?? 0n).toString(16)}`, { size: 32 }),
    ],
    data: encodeAbiParameters([{ type: 'bytes' }], [args.opaqueData]),
    blockHash: args.blockHash,
    logIndex: args.logIndex,
  }
}

const arbitraryOpaqueData = fc
  .tuple(arbitraryBytes(72, 72), fc.constantFrom('00', '01'), arbitraryBytes(0, 100))
  .map(([head, creation, data]) => `${head}${creation}${data.slice(2)}` as Hex)

test('topic 0 is keccak256 of the event signature', () => {
  expect(TRANSACTION_DEPOSITED_TOPIC).toBe(
    keccak256(stringToBytes('TransactionDeposited(address,address,uint256,bytes)')),
  )
})

// viem src/op-stack/utils/getL2TransactionHash.test.ts: a mainnet OptimismPortal log and its L2 tx hash.
test('a mainnet deposit log gives the known L2 tx hash', () => {
  const log = rawDepositLog({
    from: '0x1a1E021A302C237453D3D45c7B82B19cEEB7E2e6',
    to: '0x1a1E021A302C237453D3D45c7B82B19cEEB7E2e6',
    opaqueData:
      '0x00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000045000000000000520800',
    blockHash: '0x634c52556471c589f42db9131467e0c9484f5c73049e32d1a74e2a4ce0f91d57',
    logIndex: 109,
  })
  const deposit = decodeDepositLog(log)
  expect(deposit).toEqual({
    sourceHash: userDepositSourceHash({ l1BlockHash: log.blockHash, logIndex: 109 }),
    from: '0x1a1E021A302C237453D3D45c7B82B19cEEB7E2e6',
    to: '0x1a1E021A302C237453D3D45c7B82B19cEEB7E2e6',
    mint: 0n,
    value: 69n,
    gas: 21_000n,
    isSystemTx: false,
    data: '0x',
  })
  expect(hashDepositTransaction(deposit)).toBe('0x0a60b983815ed475c5919609025204a479654d93afc610feca7d99ae0befc329')
})

describe('round trip and differential against viem/op-stack', () => {
  test(
    'encodeDepositLog -> decodeDepositLog gives the deposit back, and the data is the ABI encoding',
    () => {
      fc.assert(
        fc.property(arbitraryUserDeposit, arbitraryHash, fc.nat({ max: 100_000 }), (deposit, blockHash, logIndex) => {
          const { topics, data } = encodeDepositLog(deposit)
          const opaqueData = encodeOpaqueDepositData({ ...deposit, isCreation: deposit.to === null })
          expect(data).toBe(encodeAbiParameters([{ type: 'bytes' }], [opaqueData]))
          expect(decodeDepositLog({ topics, data, blockHash, logIndex })).toEqual({
            ...deposit,
            sourceHash: userDepositSourceHash({ l1BlockHash: blockHash, logIndex }),
            isSystemTx: false,
          })
        }),
        { numRuns: 2000 },
      )
    },
    PROPERTY_TEST_TIMEOUT,
  )

  test(
    'the L2 tx hash matches viem getL2TransactionHash',
    () => {
      fc.assert(
        fc.property(
          arbitraryAddress,
          arbitraryAddress,
          arbitraryOpaqueData,
          arbitraryHash,
          fc.nat({ max: 100_000 }),
          (from, to, opaqueData, blockHash, logIndex) => {
            const ours = hashDepositTransaction(
              decodeDepositLog(rawDepositLog({ from, to, opaqueData, blockHash, logIndex })),
            )
            const viems = getL2TransactionHash({
              log: {
                args: { from, to, version: 0n, opaqueData },
                blockHash,
                logIndex,
                eventName: 'TransactionDeposited',
              } as Parameters<typeof getL2TransactionHash>[0]['log'],
            })
            expect(ours).toBe(viems)
          },
        ),
        { numRuns: 2000 },
      )
    },
    PROPERTY_TEST_TIMEOUT,
  )

  test(
    'opaque data splits like viem opaqueDataToDepositData',
    () => {
      fc.assert(
        fc.property(arbitraryOpaqueData, (opaqueData) => {
          expect(decodeOpaqueDepositData(opaqueData)).toEqual(opaqueDataToDepositData(opaqueData))
        }),
        { numRuns: 3000 },
      )
    },
    PROPERTY_TEST_TIMEOUT,
  )
})

describe('op-node rules', () => {
  const blockHash = `0x${'ab'.repeat(32)}` as Hex
  const from = getAddress(`0x${'11'.repeat(20)}`)
  const to = getAddress(`0x${'22'.repeat(20)}`)
  const valid = {
    ...encodeDepositLog({ from, to, mint: 1n, value: 2n, gas: 21_000n, data: '0xdeadbeef' }),
    blockHash,
    logIndex: 7,
  }
  const word = (value: bigint): string => value.toString(16).padStart(64, '0')
  const withData = (data: string): DepositLog => ({ ...valid, data: data as Hex })
  const opaque = encodeOpaqueDepositData({ mint: 1n, value: 2n, gas: 21_000n, isCreation: false, data: '0xdeadbeef' })
  const opaqueBody = opaque.slice(2).padEnd(192, '0') // 77 bytes padded to 96

  test.each([
    ['3 topics', { ...valid, topics: valid.topics.slice(0, 3) }],
    ['5 topics', { ...valid, topics: [...valid.topics, zeroHash] }],
    ['no topics', { ...valid, topics: [] }],
    [
      'another event',
      { ...valid, topics: [keccak256(stringToBytes('Transfer(address,address,uint256)')), ...valid.topics.slice(1)] },
    ],
    ['a 31-byte topic', { ...valid, topics: [valid.topics[0]!, '0x1234' as Hex, valid.topics[2]!, valid.topics[3]!] }],
  ])('%s -> DepositLogTopicsError', (_name, log) => {
    expect(() => decodeDepositLog(log)).toThrow(DepositLogTopicsError)
  })

  test.each([
    ['data shorter than the 64-byte header', `0x${word(32n)}`, 'data'],
    ['data not a multiple of 32 bytes', `${valid.data}00`, 'data'],
    ['offset 64', `0x${word(64n)}${word(77n)}${opaqueBody}`, 'offset'],
    ['offset 2^64 + 32', `0x${word(2n ** 64n + 32n)}${word(77n)}${opaqueBody}`, 'offset'],
    ['length beyond the data', `0x${word(32n)}${word(97n)}${opaqueBody}`, 'length'],
    ['length above uint64', `0x${word(32n)}${word(2n ** 64n + 77n)}${opaqueBody}`, 'length'],
    ['a whole extra padding word', `0x${word(32n)}${word(77n)}${opaqueBody}${word(0n)}`, 'length'],
    ['length 64 in 96 bytes of payload (a whole word too many)', `0x${word(32n)}${word(64n)}${opaqueBody}`, 'length'],
  ])('%s -> DepositLogDataError on %s', (_name, data, field) => {
    const error = captureError(() => decodeDepositLog(withData(data)))
    expect(error).toBeInstanceOf(DepositLogDataError)
    expect((error as DepositLogDataError).details).toMatchObject({ field, logIndex: 7 })
  })

  test('version topic 1 -> DepositLogVersionError', () => {
    const log = rawDepositLog({ from, to, opaqueData: opaque, blockHash, logIndex: 7, version: 1n })
    expect(() => decodeDepositLog(log)).toThrow(DepositLogVersionError)
  })

  test('a bad ABI header is reported before a bad version, as op-node checks in that order', () => {
    const log = {
      ...rawDepositLog({ from, to, opaqueData: opaque, blockHash, logIndex: 7, version: 1n }),
      data: `0x${word(64n)}${word(77n)}${opaqueBody}` as Hex,
    }
    expect(() => decodeDepositLog(log)).toThrow(DepositLogDataError)
  })

  test('72 bytes of opaque data -> OpaqueDepositDataError naming the log', () => {
    const log = rawDepositLog({ from, to, opaqueData: `0x${'00'.repeat(72)}`, blockHash, logIndex: 7 })
    const error = captureError(() => decodeDepositLog(log))
    expect(error).toBeInstanceOf(OpaqueDepositDataError)
    expect((error as OpaqueDepositDataError).details).toMatchObject({ length: 72, logIndex: 7 })
  })

  test('exactly 73 bytes of opaque data is a deposit with empty calldata', () => {
    const log = rawDepositLog({ from, to, opaqueData: `0x${'00'.repeat(73)}`, blockHash, logIndex: 7 })
    expect(decodeDepositLog(log)).toMatchObject({ to, mint: 0n, value: 0n, gas: 0n, data: '0x' })
  })

  test('any non-zero creation byte means creation and drops `to` (op-node; viem only accepts 1)', () => {
    const opaqueData = `0x${'00'.repeat(72)}02` as Hex
    expect(decodeDepositLog(rawDepositLog({ from, to, opaqueData, blockHash, logIndex: 7 })).to).toBeNull()
  })

  test('the upper 12 bytes of address topics are ignored, as op-node does', () => {
    const dirty = `0x${'ff'.repeat(12)}${from.slice(2)}` as Hex
    const log = { ...valid, topics: [valid.topics[0]!, dirty, valid.topics[2]!, valid.topics[3]!] }
    expect(decodeDepositLog(log).from).toBe(from)
  })

  test('padding bytes after the opaque data are not checked, as op-node does', () => {
    const data = `${valid.data.slice(0, -2)}ff` as Hex
    expect(decodeDepositLog(withData(data)).data).toBe('0xdeadbeef')
  })

  test(
    'random topics and data throw a ProtocolError or decode',
    () => {
      const arbitraryLog = fc.record({
        topics: fc.oneof(
          fc.array(arbitraryHash, { maxLength: 5 }),
          fc
            .tuple(arbitraryHash, arbitraryHash, fc.constantFrom(zeroHash, padHex('0x01', { size: 32 })))
            .map(([a, b, version]) => [TRANSACTION_DEPOSITED_TOPIC, a, b, version]),
        ),
        data: fc.oneof(
          arbitraryBytes(0, 200),
          fc
            .tuple(fc.bigInt({ min: 0n, max: 200n }), fc.bigInt({ min: 0n, max: 200n }), arbitraryBytes(0, 160))
            .map(([offset, length, rest]) => `0x${word(offset)}${word(length)}${rest.slice(2)}` as Hex),
        ),
      })
      fc.assert(
        fc.property(arbitraryLog, (log) => {
          try {
            const deposit = decodeDepositLog({ ...log, blockHash, logIndex: 1 })
            // Only a 4-topic, version-0 log can decode.
            expect(log.topics).toHaveLength(4)
            expect(log.topics[3]).toBe(zeroHash)
            expect(deposit.isSystemTx).toBe(false)
          } catch (error) {
            expect(error).toBeInstanceOf(ProtocolError)
          }
        }),
        { numRuns: 5000 },
      )
    },
    PROPERTY_TEST_TIMEOUT,
  )
})
