import {
  type Address,
  bytesToHex,
  concatBytes,
  getAddress,
  type Hex,
  hexToBytes,
  isAddress,
  padHex,
  zeroHash,
} from 'viem'
import { readUint, toBytesOrUndefined, UINT64_MAX, uintToFixedBytes } from './bytes.js'
import type { DepositTransaction } from './deposit-transaction.js'
import {
  DepositLogDataError,
  DepositLogTopicsError,
  DepositLogVersionError,
  DepositTxFieldError,
  OpaqueDepositDataError,
} from './errors.js'
import { type DepositData, decodeOpaqueDepositData, encodeOpaqueDepositData } from './opaque-data.js'
import { userDepositSourceHash } from './source-hash.js'

/** keccak256("TransactionDeposited(address,address,uint256,bytes)"). */
export const TRANSACTION_DEPOSITED_TOPIC: Hex = '0xb3813568d9991fc951961fcb4c784893574240a28925604d09fc577c55bb7c32'

/** The only `version` topic op-node understands. */
export const DEPOSIT_EVENT_VERSION_0: Hex = zeroHash

/** A `TransactionDeposited` log plus where it sits on L1; viem's `Log` fits. */
export type DepositLog = {
  topics: readonly Hex[]
  data: Hex
  blockHash: Hex
  /** Index of the log among all logs of the L1 block (not of its receipt). */
  logIndex: number | bigint
}

/**
 * `TransactionDeposited(from indexed, to indexed, version indexed, bytes opaqueData)` -> deposit tx, with every check
 * of op-node's `UnmarshalDepositLogEvent`, in its order. Every error names the log in `details.logIndex`.
 */
export function decodeDepositLog(log: DepositLog): DepositTransaction {
  const logIndex = log.logIndex
  if (log.topics.length !== 4) {
    throw new DepositLogTopicsError('deposit log must have exactly 4 topics', {
      logIndex,
      topicCount: log.topics.length,
    })
  }
  const topics = log.topics.map((topic, index) => topicBytes(topic, index, logIndex))
  if (bytesToHex(topics[0]!) !== TRANSACTION_DEPOSITED_TOPIC) {
    throw new DepositLogTopicsError('topic 0 is not TransactionDeposited', { logIndex, topic: log.topics[0] })
  }
  const opaqueData = abiBytesPayload(log.data, logIndex)
  if (bytesToHex(topics[3]!) !== DEPOSIT_EVENT_VERSION_0) {
    throw new DepositLogVersionError('unknown deposit event version', { logIndex, version: log.topics[3] })
  }
  let deposit: DepositData
  try {
    deposit = decodeOpaqueDepositData(opaqueData)
  } catch (error) {
    if (!(error instanceof OpaqueDepositDataError)) throw error
    throw new OpaqueDepositDataError(error.message, { ...error.details, logIndex })
  }
  return {
    sourceHash: userDepositSourceHash({ l1BlockHash: log.blockHash, logIndex }),
    // op-node takes the low 20 bytes of each address topic and ignores the upper 12 (`BytesToAddress(topic[12:])`).
    from: getAddress(bytesToHex(topics[1]!.subarray(12))),
    to: deposit.isCreation ? null : getAddress(bytesToHex(topics[2]!.subarray(12))),
    mint: deposit.mint,
    value: deposit.value,
    gas: deposit.gas,
    isSystemTx: false,
    data: deposit.data,
  }
}

/**
 * The log the portal emits for `deposit` (op-node `MarshalDepositLogEvent`): a creation has a zero `to` topic and the
 * creation byte set. Used by tests and by tools that fake L1 deposits.
 */
export function encodeDepositLog(deposit: {
  from: Address
  to: Address | null
  mint: bigint
  value: bigint
  gas: bigint
  data: Hex
}): { topics: [Hex, Hex, Hex, Hex]; data: Hex } {
  for (const [name, address] of [
    ['from', deposit.from],
    ['to', deposit.to],
  ] as const) {
    if (address !== null && !isAddress(address, { strict: false })) {
      throw new DepositTxFieldError(`${name} is not an address`, { field: name, value: address })
    }
  }
  const opaqueData = hexToBytes(encodeOpaqueDepositData({ ...deposit, isCreation: deposit.to === null }))
  const padding = new Uint8Array((32 - (opaqueData.length % 32)) % 32)
  return {
    topics: [
      TRANSACTION_DEPOSITED_TOPIC,
      padHex(deposit.from.toLowerCase() as Hex, { size: 32 }),
      deposit.to === null ? zeroHash : padHex(deposit.to.toLowerCase() as Hex, { size: 32 }),
      DEPOSIT_EVENT_VERSION_0,
    ],
    data: bytesToHex(
      concatBytes([uintToFixedBytes(32n, 32), uintToFixedBytes(BigInt(opaqueData.length), 32), opaqueData, padding]),
    ),
  }
}

function topicBytes(topic: Hex, index: number, logIndex: number | bigint): Uint8Array {
  const bytes = toBytesOrUndefined(topic)
  if (bytes === undefined || bytes.length !== 32) {
    throw new DepositLogTopicsError('topic is not 32 bytes', { logIndex, topicIndex: index, topic })
  }
  return bytes
}

/**
 * The payload of an ABI-encoded `bytes`: offset word 32, a uint64 length that fits the data and uses minimal padding
 * (adding another 32-byte word would exceed the data), total size a multiple of 32. Like op-node, the padding bytes
 * themselves are not checked.
 */
function abiBytesPayload(data: Hex, logIndex: number | bigint): Uint8Array {
  const bytes = toBytesOrUndefined(data)
  if (bytes === undefined) throw new DepositLogDataError('log data is not hex', { logIndex, field: 'data' })
  if (bytes.length < 64) {
    throw new DepositLogDataError('log data shorter than the ABI bytes header', {
      logIndex,
      field: 'data',
      length: bytes.length,
    })
  }
  if (bytes.length % 32 !== 0) {
    throw new DepositLogDataError('log data is not a multiple of 32 bytes', {
      logIndex,
      field: 'data',
      length: bytes.length,
    })
  }
  const offset = readUint(bytes, 0, 32)
  if (offset !== 32n)
    throw new DepositLogDataError('opaqueData offset is not 32', { logIndex, field: 'offset', offset })
  const length = readUint(bytes, 32, 64)
  const available = BigInt(bytes.length - 64)
  if (length > UINT64_MAX || length > available || length + 32n <= available) {
    throw new DepositLogDataError('opaqueData length does not match the data', {
      logIndex,
      field: 'length',
      length,
      available,
    })
  }
  return bytes.subarray(64, 64 + Number(length))
}
