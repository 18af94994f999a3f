import { type Address, type Hex, numberToHex, zeroHash } from 'viem'
import { readUint, toBytesOrUndefined } from '../deposits/bytes.js'
import {
  ConfigUpdateDataError,
  ConfigUpdateTopicsError,
  ConfigUpdateVersionError,
  Eip1559ParamsError,
  UnknownConfigUpdateTypeError,
} from './errors.js'
import { readAddressWord, readUint16Word, readUint64Word, readWord } from './solidity-words.js'

/** keccak256("ConfigUpdate(uint256,uint8,bytes)"). */
export const CONFIG_UPDATE_TOPIC: Hex = '0x1d2b0bda21d56b8bd12d4f94ebacffdfb35f5e226f84b461103bb8beab6353be'

/** The only `version` topic op-node understands. */
export const CONFIG_UPDATE_VERSION_0: Hex = zeroHash

/** SystemConfig `UpdateType` values (specs `system-config.md`). */
export const CONFIG_UPDATE_TYPE = {
  batcher: 0,
  feeScalars: 1,
  gasLimit: 2,
  unsafeBlockSigner: 3,
  eip1559Params: 4,
  operatorFeeParams: 5,
  minBaseFee: 6,
  daFootprintGasScalar: 7,
} as const

/**
 * One decoded SystemConfig change. `feeScalars` keeps the raw words: whether `scalar` applies depends on Ecotone being
 * active at the L1 block (then `assertValidEcotoneScalar` decides, and op-node keeps the old scalar if it fails).
 */
export type ConfigUpdate =
  | { type: 'batcher'; batcherAddr: Address }
  | { type: 'feeScalars'; overhead: Hex; scalar: Hex }
  | { type: 'gasLimit'; gasLimit: bigint }
  /** Not consensus: derivation ignores it; `signer` is null when the payload is not a well-formed address. */
  | { type: 'unsafeBlockSigner'; signer: Address | null }
  | { type: 'eip1559Params'; denominator: number; elasticity: number }
  /** `params` is the raw word op-node keeps; scalar = bytes 20..23, constant = bytes 24..31. */
  | { type: 'operatorFeeParams'; params: Hex; operatorFeeScalar: number; operatorFeeConstant: bigint }
  | { type: 'minBaseFee'; minBaseFee: bigint }
  | { type: 'daFootprintGasScalar'; daFootprintGasScalar: number }

/** The parts of a log this decoder reads; viem's `Log` fits. */
export type ConfigUpdateLog = { topics: readonly Hex[]; data: Hex }

const updateTypeNames = Object.fromEntries(
  Object.entries(CONFIG_UPDATE_TYPE).map(([name, value]) => [numberToHex(value, { size: 32 }), name]),
) as Record<Hex, ConfigUpdate['type']>

/**
 * `ConfigUpdate(uint256 indexed version, uint8 indexed updateType, bytes data)` -> typed update, with the checks of
 * op-node's `ProcessSystemConfigUpdateLogEvent` (exactly 3 topics, version 0, a known type compared as the full
 * 32-byte topic, then per type: pointer word 32, exact length word, zero padding, no trailing bytes).
 */
export function decodeConfigUpdateLog(log: ConfigUpdateLog): ConfigUpdate {
  if (log.topics.length !== 3) {
    throw new ConfigUpdateTopicsError('ConfigUpdate log must have exactly 3 topics', { topicCount: log.topics.length })
  }
  const [signature, version, updateType] = log.topics.map((topic) => topic.toLowerCase() as Hex) as [Hex, Hex, Hex]
  if (signature !== CONFIG_UPDATE_TOPIC) {
    throw new ConfigUpdateTopicsError('topic 0 is not ConfigUpdate', { topic: log.topics[0] })
  }
  if (version !== CONFIG_UPDATE_VERSION_0) {
    throw new ConfigUpdateVersionError('unknown ConfigUpdate version', { version: log.topics[1] })
  }
  const type = updateTypeNames[updateType]
  if (type === undefined)
    throw new UnknownConfigUpdateTypeError('unknown ConfigUpdate type', { updateType: log.topics[2] })
  const data = toBytesOrUndefined(log.data)
  if (data === undefined) throw new ConfigUpdateDataError('log data is not hex', { type, field: 'data' })
  switch (type) {
    case 'batcher':
      return { type, batcherAddr: readAddressWord(payload(data, 32, type), 64, 'batcherAddr') }
    case 'feeScalars': {
      const bytes = payload(data, 64, type)
      return { type, overhead: readWord(bytes, 64), scalar: readWord(bytes, 96) }
    }
    case 'gasLimit':
      return { type, gasLimit: readUint64Word(payload(data, 32, type), 64, 'gasLimit') }
    case 'unsafeBlockSigner':
      return { type, signer: unsafeBlockSigner(data) }
    case 'eip1559Params':
      return { type, ...eip1559Params(payload(data, 32, type)) }
    case 'operatorFeeParams': {
      const bytes = payload(data, 32, type)
      return {
        type,
        params: readWord(bytes, 64),
        operatorFeeScalar: Number(readUint(bytes, 84, 88)),
        operatorFeeConstant: readUint(bytes, 88, 96),
      }
    }
    case 'minBaseFee':
      return { type, minBaseFee: readUint64Word(payload(data, 32, type), 64, 'minBaseFee') }
    case 'daFootprintGasScalar':
      return { type, daFootprintGasScalar: readUint16Word(payload(data, 32, type), 64, 'daFootprintGasScalar') }
  }
}

/** The ABI `bytes` wrapper every update uses: pointer word 32, length word `length`, then exactly `length` bytes. */
function payload(data: Uint8Array, length: number, type: ConfigUpdate['type']): Uint8Array {
  if (data.length < 32 || !isUint64Word(data, 0, 32n)) {
    throw new ConfigUpdateDataError('invalid pointer field', { type, field: 'pointer' })
  }
  if (data.length < 64 || !isUint64Word(data, 32, BigInt(length))) {
    throw new ConfigUpdateDataError('invalid length field', { type, field: 'length', expected: length })
  }
  if (data.length < 64 + length) throw new ConfigUpdateDataError('payload too short', { type, field: 'payload' })
  if (data.length > 64 + length) throw new ConfigUpdateDataError('too many bytes', { type, field: 'data' })
  return data
}

/** solabi.ReadUint64 semantics: 24 zero bytes then the value. */
function isUint64Word(data: Uint8Array, offset: number, expected: bigint): boolean {
  return (
    data.subarray(offset, offset + 24).every((byte) => byte === 0) &&
    readUint(data, offset + 24, offset + 32) === expected
  )
}

/**
 * op-node stores only the low 8 bytes (denominator u32 || elasticity u32) and ignores the rest of the word. It rejects
 * a zero denominator with a non-zero elasticity and the reverse (op-geth `ValidateHolocene1559Params`).
 */
function eip1559Params(data: Uint8Array): { denominator: number; elasticity: number } {
  const denominator = Number(readUint(data, 88, 92))
  const elasticity = Number(readUint(data, 92, 96))
  if ((denominator === 0) !== (elasticity === 0)) {
    throw new Eip1559ParamsError('denominator and elasticity must both be zero or both non-zero', {
      denominator,
      elasticity,
    })
  }
  return { denominator, elasticity }
}

/** op-node never parses this update; read it as the contract emits it (`abi.encode(address)` as bytes), else null. */
function unsafeBlockSigner(data: Uint8Array): Address | null {
  try {
    return readAddressWord(payload(data, 32, 'unsafeBlockSigner'), 64, 'signer')
  } catch {
    return null
  }
}
