import { encodeAbiParameters, getAddress, type Hex, numberToHex, zeroHash } from 'viem'
import { expect, test } from 'vitest'
import { encodeDepositLog } from '../deposits/deposit-log.js'
import type { L1Log, L1Receipt } from '../deposits/l1-receipt.js'
import { CONFIG_UPDATE_TOPIC } from './config-update.js'
import { extractConfigUpdates } from './config-updates-from-receipts.js'
import { ConfigUpdateDataError, ConfigUpdateVersionError, UnknownConfigUpdateTypeError } from './errors.js'

const systemConfig = getAddress(`0x${'00'.repeat(19)}43`)
const word = (value: number): Hex => numberToHex(value, { size: 32 })
const wrapped = (type: string, value: unknown): Hex =>
  encodeAbiParameters([{ type: 'bytes' }], [encodeAbiParameters([{ type }], [value])])
const log = (updateType: Hex, data: Hex, version: Hex = zeroHash): L1Log => ({
  address: systemConfig,
  topics: [CONFIG_UPDATE_TOPIC, version, updateType],
  data,
})

const newBatcher = getAddress(`0x${'00'.repeat(19)}aa`)
const batcherLog = log(word(0), wrapped('address', newBatcher))
const gasLimitLog = log(word(2), wrapped('uint256', 0xccn))

// op-node TestUpdateSystemConfigWithL1Receipts_Atomicity, as data.
test('valid updates are returned in order, malformed ones are rejected with their typed error', () => {
  const receipts: L1Receipt[] = [
    { status: 'success', logs: [batcherLog] },
    { status: 'success', logs: [log(word(2), '0x00')] },
    { status: 'success', logs: [log(`0x61${'00'.repeat(30)}07`, '0x')] },
    { status: 'success', logs: [log(word(0), batcherLog.data, word(1))] },
  ]
  const { updates, rejected } = extractConfigUpdates({ receipts, systemConfigAddress: systemConfig })
  expect(updates).toEqual([{ type: 'batcher', batcherAddr: newBatcher }])
  expect(rejected.map(({ receiptIndex, indexInReceipt }) => [receiptIndex, indexInReceipt])).toEqual([
    [1, 0],
    [2, 0],
    [3, 0],
  ])
  expect(rejected[0]!.error).toBeInstanceOf(ConfigUpdateDataError)
  expect(rejected[1]!.error).toBeInstanceOf(UnknownConfigUpdateTypeError)
  expect(rejected[2]!.error).toBeInstanceOf(ConfigUpdateVersionError)
})

test('several updates in one receipt and across receipts keep their order', () => {
  const receipts: L1Receipt[] = [
    { status: 'success', logs: [batcherLog, gasLimitLog] },
    { status: 'success', logs: [log(word(2), wrapped('uint256', 0xddn))] },
  ]
  expect(extractConfigUpdates({ receipts, systemConfigAddress: systemConfig }).updates).toEqual([
    { type: 'batcher', batcherAddr: newBatcher },
    { type: 'gasLimit', gasLimit: 0xccn },
    { type: 'gasLimit', gasLimit: 0xddn },
  ])
})

test('reverted receipts, other contracts and other events are ignored', () => {
  const portal = getAddress(`0x${'00'.repeat(19)}99`)
  const receipts: L1Receipt[] = [
    { status: 'reverted', logs: [batcherLog] },
    { status: 'success', logs: [{ ...gasLimitLog, address: portal }] },
    {
      status: 'success',
      logs: [
        {
          address: systemConfig,
          ...encodeDepositLog({ from: portal, to: null, mint: 0n, value: 0n, gas: 0n, data: '0x' }),
        },
      ],
    },
  ]
  expect(extractConfigUpdates({ receipts, systemConfigAddress: systemConfig })).toEqual({ updates: [], rejected: [] })
})
