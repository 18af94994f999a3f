import fc from 'fast-check'
import {
  type Address,
  bytesToHex,
  encodeAbiParameters,
  encodeEventTopics,
  getAddress,
  type Hex,
  keccak256,
  numberToHex,
  padHex,
  parseAbiItem,
  stringToBytes,
  zeroHash,
} from 'viem'
import { describe, expect, test } from 'vitest'
import { arbitraryAddress, arbitraryHash, captureError, PROPERTY_TEST_TIMEOUT } from '../deposits/test-support.js'
import { ProtocolError } from '../errors.js'
import { CONFIG_UPDATE_TOPIC, CONFIG_UPDATE_TYPE, type ConfigUpdate, decodeConfigUpdateLog } from './config-update.js'
import {
  ConfigUpdateDataError,
  ConfigUpdateTopicsError,
  ConfigUpdateVersionError,
  Eip1559ParamsError,
  UnknownConfigUpdateTypeError,
  WordPaddingError,
} from './errors.js'

const zeroAddress: Address = '0x0000000000000000000000000000000000000000'

const configUpdateEvent = parseAbiItem(
  'event ConfigUpdate(uint256 indexed version, uint8 indexed updateType, bytes data)',
)

/** The log SystemConfig emits: `emit ConfigUpdate(VERSION, updateType, abi.encode(...))`, built with viem's ABI code. */
function configUpdateLog(updateType: number, payload: Hex): { topics: Hex[]; data: Hex } {
  const topics = encodeEventTopics({ abi: [configUpdateEvent], args: { version: 0n, updateType } }) as Hex[]
  return { topics, data: encodeAbiParameters([{ type: 'bytes' }], [payload]) }
}
/** One generated case: update type, ABI payload, the update it must decode to. */
const emitted = (updateType: number, payload: Hex, expected: ConfigUpdate): [number, Hex, ConfigUpdate] => [
  updateType,
  payload,
  expected,
]
const abi = (types: string[], values: unknown[]): Hex =>
  encodeAbiParameters(
    types.map((type) => ({ type })),
    values,
  )

test('topic 0 is keccak256("ConfigUpdate(uint256,uint8,bytes)")', () => {
  expect(CONFIG_UPDATE_TOPIC).toBe(keccak256(stringToBytes('ConfigUpdate(uint256,uint8,bytes)')))
})

// op-node system_config_test.go TestProcessSystemConfigUpdateLogEvent, as data.
/** `common.Hash{0: 1, 24 + 3: 0xb3, 28 + 3: 0xbb}` */
const ecotoneScalar: Hex = `0x01${'00'.repeat(26)}b3000000bb`

describe('op-node cases', () => {
  test.each<[string, number, Hex, ConfigUpdate]>([
    [
      'Batcher',
      0,
      abi(['address'], ['0x00000000000000000000000000000000000000aa']),
      { type: 'batcher', batcherAddr: getAddress('0x00000000000000000000000000000000000000aa') },
    ],
    [
      'GasConfig',
      1,
      abi(['uint256', 'uint256'], [0xffn, 0xaan]),
      { type: 'feeScalars', overhead: padHex('0xff', { size: 32 }), scalar: padHex('0xaa', { size: 32 }) },
    ],
    ['GasLimit', 2, abi(['uint256'], [0xbbn]), { type: 'gasLimit', gasLimit: 0xbbn }],
    [
      'GasConfigEcotone',
      1,
      abi(['uint256', 'uint256'], [0xffn, BigInt(ecotoneScalar)]),
      {
        type: 'feeScalars',
        overhead: padHex('0xff', { size: 32 }),
        scalar: ecotoneScalar,
      },
    ],
    [
      'EIP1559Params',
      4,
      abi(['uint256'], [0x0102030405060708n]),
      { type: 'eip1559Params', denominator: 0x01020304, elasticity: 0x05060708 },
    ],
    ['EIP1559Params_BothZero', 4, abi(['uint256'], [0n]), { type: 'eip1559Params', denominator: 0, elasticity: 0 }],
    [
      'OperatorFeeParams',
      5,
      abi(['uint256'], [(5n << 64n) | 0x070d08n]),
      {
        type: 'operatorFeeParams',
        params: `0x${'00'.repeat(23)}050000000000070d08`,
        operatorFeeScalar: 5,
        operatorFeeConstant: 0x070d08n,
      },
    ],
    ['UpdateMinBaseFee', 6, abi(['uint256'], [1_000_000_000n]), { type: 'minBaseFee', minBaseFee: 1_000_000_000n }],
    ['DAFootprintGasScalar', 7, abi(['uint16'], [100]), { type: 'daFootprintGasScalar', daFootprintGasScalar: 100 }],
  ])('%s', (_name, updateType, payload, expected) => {
    expect(decodeConfigUpdateLog(configUpdateLog(updateType, payload))).toEqual(expected)
  })

  test('UnsafeBlockSigner with unwrapped data is accepted (op-node ignores it) and yields no signer', () => {
    const { topics } = configUpdateLog(3, '0x')
    expect(decodeConfigUpdateLog({ topics, data: abi(['address'], [zeroAddress]) })).toEqual({
      type: 'unsafeBlockSigner',
      signer: null,
    })
  })

  test('UnsafeBlockSigner as SystemConfig emits it yields the signer', () => {
    const signer = getAddress(`0x${'5e'.repeat(20)}`)
    expect(decodeConfigUpdateLog(configUpdateLog(3, abi(['address'], [signer])))).toEqual({
      type: 'unsafeBlockSigner',
      signer,
    })
  })

  test.each([
    ['zero denominator, non-zero elasticity', 0x0000000000000001n],
    ['non-zero denominator, zero elasticity', 0x0000000100000000n],
  ])('EIP1559Params with %s -> Eip1559ParamsError', (_name, params) => {
    expect(() => decodeConfigUpdateLog(configUpdateLog(4, abi(['uint256'], [params])))).toThrow(Eip1559ParamsError)
  })

  test('only the low 8 bytes of the EIP-1559 word count, as in op-node', () => {
    expect(decodeConfigUpdateLog(configUpdateLog(4, abi(['uint256'], [(1n << 200n) | 0x0000000a00000002n])))).toEqual({
      type: 'eip1559Params',
      denominator: 10,
      elasticity: 2,
    })
  })

  test('OneTopic -> ConfigUpdateTopicsError', () => {
    expect(() => decodeConfigUpdateLog({ topics: [CONFIG_UPDATE_TOPIC], data: '0x' })).toThrow(ConfigUpdateTopicsError)
  })

  test('another event signature -> ConfigUpdateTopicsError', () => {
    const log = configUpdateLog(0, abi(['address'], [zeroAddress]))
    expect(() => decodeConfigUpdateLog({ ...log, topics: [zeroHash, ...log.topics.slice(1)] })).toThrow(
      ConfigUpdateTopicsError,
    )
  })

  test('version 1 -> ConfigUpdateVersionError', () => {
    const log = configUpdateLog(0, abi(['address'], [zeroAddress]))
    const topics = [log.topics[0]!, numberToHex(1, { size: 32 }), log.topics[2]!]
    expect(() => decodeConfigUpdateLog({ ...log, topics })).toThrow(ConfigUpdateVersionError)
  })

  test.each([
    ['type 8', numberToHex(8, { size: 32 })],
    ["op-node's future type {0: 'a', 31: 7}", `0x61${'00'.repeat(30)}07` as Hex],
  ])('%s -> UnknownConfigUpdateTypeError', (_name, updateType) => {
    const log = configUpdateLog(0, abi(['address'], [zeroAddress]))
    expect(() => decodeConfigUpdateLog({ ...log, topics: [log.topics[0]!, log.topics[1]!, updateType] })).toThrow(
      UnknownConfigUpdateTypeError,
    )
  })
})

describe('ABI bytes rules -> ConfigUpdateDataError naming the field', () => {
  const { topics } = configUpdateLog(2, '0x')
  const word = (value: bigint): string => value.toString(16).padStart(64, '0')
  test.each([
    ['a single byte (op-node atomicity test)', '0x00', 'pointer'],
    ['pointer 64', `0x${word(64n)}${word(32n)}${word(1n)}`, 'pointer'],
    ['pointer with non-zero padding', `0x${word((1n << 200n) + 32n)}${word(32n)}${word(1n)}`, 'pointer'],
    ['no length word', `0x${word(32n)}`, 'length'],
    ['length 31', `0x${word(32n)}${word(31n)}${word(1n)}`, 'length'],
    ['a missing payload', `0x${word(32n)}${word(32n)}`, 'payload'],
    ['a trailing word', `0x${word(32n)}${word(32n)}${word(1n)}${word(0n)}`, 'data'],
  ])('gas limit with %s', (_name, data, field) => {
    const error = captureError(() => decodeConfigUpdateLog({ topics, data: data as Hex }))
    expect(error).toBeInstanceOf(ConfigUpdateDataError)
    expect((error as ConfigUpdateDataError).details.field).toBe(field)
  })

  test.each([
    ['gas limit above uint64', 2, abi(['uint256'], [2n ** 64n]), 'gasLimit'],
    ['min base fee above uint64', 6, abi(['uint256'], [2n ** 64n]), 'minBaseFee'],
    ['DA footprint scalar above uint16', 7, abi(['uint256'], [2n ** 16n]), 'daFootprintGasScalar'],
    ['batcher word with non-zero padding', 0, abi(['uint256'], [1n << 160n]), 'batcherAddr'],
  ])('%s -> WordPaddingError', (_name, updateType, payload, field) => {
    const error = captureError(() => decodeConfigUpdateLog(configUpdateLog(updateType, payload)))
    expect(error).toBeInstanceOf(WordPaddingError)
    expect((error as WordPaddingError).details.field).toBe(field)
  })

  test('fee scalars need exactly 64 payload bytes', () => {
    expect(() => decodeConfigUpdateLog(configUpdateLog(1, abi(['uint256'], [1n])))).toThrow(ConfigUpdateDataError)
  })
})

describe('against viem-encoded SystemConfig events on random values', () => {
  const uint = (bits: number) => fc.bigInt({ min: 0n, max: 2n ** BigInt(bits) - 1n })
  const cases: fc.Arbitrary<[number, Hex, ConfigUpdate]> = fc.oneof(
    arbitraryAddress.map((batcherAddr) =>
      emitted(0, abi(['address'], [batcherAddr]), { type: 'batcher', batcherAddr }),
    ),
    fc
      .tuple(arbitraryHash, arbitraryHash)
      .map(([overhead, scalar]) =>
        emitted(1, abi(['bytes32', 'bytes32'], [overhead, scalar]), { type: 'feeScalars', overhead, scalar }),
      ),
    uint(64).map((gasLimit) => emitted(2, abi(['uint64'], [gasLimit]), { type: 'gasLimit', gasLimit })),
    arbitraryAddress.map((signer) => emitted(3, abi(['address'], [signer]), { type: 'unsafeBlockSigner', signer })),
    fc
      .tuple(fc.integer({ min: 1, max: 0xffff_ffff }), fc.integer({ min: 1, max: 0xffff_ffff }))
      .map(([denominator, elasticity]) =>
        emitted(4, abi(['uint256'], [(BigInt(denominator) << 32n) | BigInt(elasticity)]), {
          type: 'eip1559Params',
          denominator,
          elasticity,
        }),
      ),
    fc.tuple(uint(32), uint(64)).map(([scalar, constant]) => {
      const params = (scalar << 64n) | constant
      return emitted(5, abi(['uint256'], [params]), {
        type: 'operatorFeeParams',
        params: numberToHex(params, { size: 32 }),
        operatorFeeScalar: Number(scalar),
        operatorFeeConstant: constant,
      })
    }),
    uint(64).map((minBaseFee) => emitted(6, abi(['uint64'], [minBaseFee]), { type: 'minBaseFee', minBaseFee })),
    fc
      .integer({ min: 0, max: 0xffff })
      .map((daFootprintGasScalar) =>
        emitted(7, abi(['uint16'], [daFootprintGasScalar]), { type: 'daFootprintGasScalar', daFootprintGasScalar }),
      ),
  )

  test(
    'decode gives back the emitted values for every update type',
    () => {
      fc.assert(
        fc.property(cases, ([updateType, payload, expected]) => {
          expect(decodeConfigUpdateLog(configUpdateLog(updateType, payload))).toEqual(expected)
        }),
        { numRuns: 3000 },
      )
    },
    PROPERTY_TEST_TIMEOUT,
  )

  test(
    'random data under every type throws a ProtocolError or decodes',
    () => {
      const data = fc.oneof(
        fc
          .uint8Array({ maxLength: 160 })
          .map((bytes) => numberToHex(0n) && (`0x${Buffer.from(bytes).toString('hex')}` as Hex)),
        fc
          .tuple(fc.bigInt({ min: 0n, max: 96n }), fc.bigInt({ min: 0n, max: 96n }), fc.uint8Array({ maxLength: 96 }))
          .map(
            ([pointer, length, rest]) =>
              `0x${pointer.toString(16).padStart(64, '0')}${length.toString(16).padStart(64, '0')}${bytesToHex(rest).slice(2)}` as Hex,
          ),
      )
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 9 }), data, (updateType, logData) => {
          const { topics } = configUpdateLog(Math.min(updateType, 7), '0x')
          const typeTopic = numberToHex(updateType, { size: 32 })
          try {
            const update = decodeConfigUpdateLog({ topics: [topics[0]!, topics[1]!, typeTopic], data: logData })
            expect(CONFIG_UPDATE_TYPE[update.type]).toBe(updateType)
          } catch (error) {
            expect(error).toBeInstanceOf(ProtocolError)
          }
        }),
        { numRuns: 3000 },
      )
    },
    PROPERTY_TEST_TIMEOUT,
  )
})
