import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { RollupConfigError } from './errors.js'
import { allForksAtGenesis } from './forks.js'
import { opNode901RollupJson } from './op-node-901-rollup.fixture.js'
import { parseRollupConfig, type RollupConfig, serializeRollupConfig, toRollupConfigJson } from './rollup-config.js'

/** A Granite-at-genesis EigenDA chain in op-node's shape: what our devnet writes. */
const eigenDaRollupJson = {
  genesis: {
    l1: { hash: '0x481724ee99b1f4cb71d826e2ec5a37265f460e9b112315665c977f4050b0af54', number: 10 },
    l2: { hash: '0x88aedfbf7dea6bfa2c4ff315784ad1a7f145d8f650969359c003bbed68c87631', number: 0 },
    l2_time: 1725557164,
    system_config: {
      batcherAddr: '0xc81f87a644b41e49b3221f41251f15c6cb00ce03',
      overhead: '0x0000000000000000000000000000000000000000000000000000000000000000',
      scalar: '0x010000000000000000000000000000000000000000000000000c5fc500000558',
      gasLimit: 30000000,
    },
  },
  block_time: 2,
  max_sequencer_drift: 600,
  seq_window_size: 3600,
  channel_timeout: 300,
  l1_chain_id: 31337,
  l2_chain_id: 161201,
  regolith_time: 0,
  canyon_time: 0,
  delta_time: 0,
  ecotone_time: 0,
  fjord_time: 0,
  granite_time: 0,
  batch_inbox_address: '0xff00000000000000000000000000000000161201',
  deposit_contract_address: '0x08073dc48dde578137b8af042bcbc1c2491f1eb2',
  l1_system_config_address: '0x94ee52a9d8edd72a85dea7fae3ba6d75e4bf1710',
  protocol_versions_address: '0x0000000000000000000000000000000000000000',
  alt_da: {
    da_challenge_contract_address: '0x0000000000000000000000000000000000000000',
    da_commitment_type: 'GenericCommitment',
    da_challenge_window: 300,
    da_resolve_window: 300,
  },
}

type Json = Record<string, unknown>

/** A copy of the EigenDA config with `path` set to `value` (or removed when value is undefined). */
function withField(path: string, value: unknown): Json {
  const copy = structuredClone(eigenDaRollupJson) as Json
  const keys = path.split('.')
  let node = copy
  for (const key of keys.slice(0, -1)) node = node[key] as Json
  const last = keys.at(-1) as string
  if (value === undefined) delete node[last]
  else node[last] = value
  return copy
}

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseRollupConfig(input)
  } catch (error) {
    expect(error).toBeInstanceOf(RollupConfigError)
    return (error as RollupConfigError).details.issues
  }
  throw new Error('expected parseRollupConfig to throw')
}

describe('op-node 901 rollup.json', () => {
  test('parses into the values op-node wrote', () => {
    const config = parseRollupConfig(opNode901RollupJson)
    expect(config.genesis.l1).toEqual({
      hash: '0xf39446e09aeca67452545d06a6e6a6a11184575ecf421f9306cf3602febf93ba',
      number: 1n,
    })
    expect(config.genesis.l2Time).toBe(1728358574n)
    expect(config.genesis.systemConfig).toEqual({
      batcherAddr: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
      overhead: '0x0000000000000000000000000000000000000000000000000000000000000834',
      scalar: '0x00000000000000000000000000000000000000000000000000000000000f4240',
      gasLimit: 30_000_000n,
    })
    expect(config.l1ChainId).toBe(900)
    expect(config.l2ChainId).toBe(901)
    expect(config.channelTimeoutBedrock).toBe(120n)
    expect(config.forkTimes).toEqual({ regolith: 0n, canyon: 0n, delta: 0n, ecotone: 0n, fjord: 0n })
    expect(config.batchInboxAddress).toBe('0xFf00000000000000000000000000000000000901')
    expect(config.depositContractAddress).toBe('0x55BdfB0bfEF1070C457124920546359426153833')
    expect(config.altDa).toBeUndefined()
  })

  test('serializes back to the exact bytes op-node wrote', () => {
    expect(serializeRollupConfig(parseRollupConfig(opNode901RollupJson))).toBe(opNode901RollupJson)
  })
})

describe('EigenDA Granite config', () => {
  test('round-trips through parse and serialize unchanged', () => {
    const config = parseRollupConfig(eigenDaRollupJson)
    expect(config.forkTimes.granite).toBe(0n)
    expect(config.altDa).toEqual({
      commitmentType: 'GenericCommitment',
      challengeContractAddress: '0x0000000000000000000000000000000000000000',
      challengeWindow: 300n,
      resolveWindow: 300n,
    })
    expect(toRollupConfigJson(config)).toStrictEqual(eigenDaRollupJson)
    expect(serializeRollupConfig(config)).toBe(`${JSON.stringify(eigenDaRollupJson, null, 2)}\n\n`)
  })

  test('a config built in TS with every fork at genesis serializes to the same file', () => {
    const config: RollupConfig = { ...parseRollupConfig(eigenDaRollupJson), forkTimes: allForksAtGenesis }
    expect(serializeRollupConfig(config)).toBe(`${JSON.stringify(eigenDaRollupJson, null, 2)}\n\n`)
  })

  test('serializing an invalid config throws instead of writing a file op-node rejects', () => {
    const config = { ...parseRollupConfig(eigenDaRollupJson), blockTime: 0n }
    expect(() => serializeRollupConfig(config)).toThrow(RollupConfigError)
  })

  test('writes keys in op-node struct order', () => {
    const json = toRollupConfigJson(parseRollupConfig(eigenDaRollupJson))
    expect(Object.keys(json)).toEqual([
      'genesis',
      'block_time',
      'max_sequencer_drift',
      'seq_window_size',
      'channel_timeout',
      'l1_chain_id',
      'l2_chain_id',
      'regolith_time',
      'canyon_time',
      'delta_time',
      'ecotone_time',
      'fjord_time',
      'granite_time',
      'batch_inbox_address',
      'deposit_contract_address',
      'l1_system_config_address',
      'protocol_versions_address',
      'alt_da',
    ])
    expect(Object.keys(json.genesis)).toEqual(['l1', 'l2', 'l2_time', 'system_config'])
    expect(Object.keys(json.genesis.system_config)).toEqual(['batcherAddr', 'overhead', 'scalar', 'gasLimit'])
    expect(Object.keys(json.alt_da ?? {})).toEqual([
      'da_challenge_contract_address',
      'da_commitment_type',
      'da_challenge_window',
      'da_resolve_window',
    ])
  })

  test('a missing protocol_versions_address reads as zero and is written back, as Go does', () => {
    const config = parseRollupConfig(withField('protocol_versions_address', undefined))
    expect(toRollupConfigJson(config).protocol_versions_address).toBe('0x0000000000000000000000000000000000000000')
  })

  test('an all-zero Holocene eip1559Params is accepted and dropped (pre-Holocene shape)', () => {
    const config = parseRollupConfig(withField('genesis.system_config.eip1559Params', '0x0000000000000000'))
    expect(Object.keys(toRollupConfigJson(config).genesis.system_config)).not.toContain('eip1559Params')
  })
})

describe('bad fields are reported by path', () => {
  const cases: [string, unknown, string][] = [
    ['block_time', '2', 'block_time'],
    ['block_time', 0, 'block_time'],
    ['block_time', 1.5, 'block_time'],
    ['seq_window_size', 1, 'seq_window_size'],
    ['channel_timeout', 0, 'channel_timeout'],
    ['max_sequencer_drift', 0, 'max_sequencer_drift'],
    ['max_sequencer_drift', -1, 'max_sequencer_drift'],
    ['l1_chain_id', 2 ** 60, 'l1_chain_id'],
    ['l2_chain_id', 31337, 'l2_chain_id'],
    ['l2_chain_id', 0, 'l2_chain_id'],
    ['genesis.l2_time', 0, 'genesis.l2_time'],
    ['genesis.l1.hash', '0x1234', 'genesis.l1.hash'],
    ['genesis.l2.hash', '0x481724ee99b1f4cb71d826e2ec5a37265f460e9b112315665c977f4050b0af54', 'genesis.l2.hash'],
    [
      'genesis.system_config.batcherAddr',
      '0xC81f87a644b41e49b3221f41251f15c6cb00ce03',
      'genesis.system_config.batcherAddr',
    ],
    [
      'genesis.system_config.batcherAddr',
      '0x0000000000000000000000000000000000000000',
      'genesis.system_config.batcherAddr',
    ],
    ['genesis.system_config.scalar', `0x${'00'.repeat(32)}`, 'genesis.system_config.scalar'],
    ['genesis.system_config.gasLimit', undefined, 'genesis.system_config.gasLimit'],
    ['genesis.system_config.eip1559Params', '0x000000fa00000006', 'genesis.system_config.eip1559Params'],
    ['batch_inbox_address', 'ff00000000000000000000000000000000161201', 'batch_inbox_address'],
    ['deposit_contract_address', '0x0000000000000000000000000000000000000000', 'deposit_contract_address'],
    ['holocene_time', 0, 'holocene_time'],
    ['isthmus_time', 0, 'isthmus_time'],
    ['chain_op_config', {}, '(root)'],
    ['canyon_time', undefined, 'delta_time'],
    ['ecotone_time', 5, 'fjord_time'],
    ['alt_da.da_commitment_type', 'EigenDACommitment', 'alt_da.da_commitment_type'],
    [
      'alt_da.da_challenge_contract_address',
      '0x1111111111111111111111111111111111111111',
      'alt_da.da_challenge_contract_address',
    ],
    ['alt_da.da_challenge_window', 0, 'alt_da.da_challenge_window'],
  ]

  test.each(cases)('%s = %j is reported at %s', (field, value, path) => {
    const issues = issuesOf(withField(field, value))
    expect(issues.map((issue) => issue.path)).toContain(path)
  })

  test('keccak commitments need a challenge contract', () => {
    const issues = issuesOf(withField('alt_da.da_commitment_type', 'KeccakCommitment'))
    expect(issues).toEqual([
      { path: 'alt_da.da_challenge_contract_address', message: 'must be set for keccak commitments' },
    ])
  })

  test('every bad field is listed, not only the first', () => {
    const input = withField('block_time', 0)
    ;(input as { seq_window_size: number }).seq_window_size = 1
    expect(issuesOf(input).map((issue) => issue.path)).toEqual(['block_time', 'seq_window_size'])
  })

  test('the error message names the field and the reason', () => {
    expect(() => parseRollupConfig(withField('holocene_time', 0))).toThrow(
      /holocene_time: this node implements forks up to Granite only/,
    )
  })

  test('text that is not JSON is a RollupConfigError', () => {
    expect(issuesOf('{"genesis":')[0]?.path).toBe('(root)')
  })
})

describe('property: valid configs round-trip', () => {
  const uint = (max: number) => fc.integer({ min: 1, max })
  const hash = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString('hex')}`)
  const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => `0x${Buffer.from(b).toString('hex')}`)

  test('parse(toRollupConfigJson(parse(json))) equals parse(json)', () => {
    const arbitrary = fc.record({
      l1Hash: hash,
      l2Hash: hash,
      numbers: fc.tuple(uint(1e9), uint(1e9), uint(2 ** 40), uint(100), uint(3600), uint(10_000), uint(300)),
      addresses: fc.tuple(address, address, address, address),
      forkCount: fc.integer({ min: 0, max: 6 }),
      forkTime: fc.integer({ min: 0, max: 2 ** 40 }),
      chainIds: fc.tuple(uint(2 ** 50), uint(2 ** 50)),
    })
    fc.assert(
      fc.property(arbitrary, (a) => {
        fc.pre(a.l1Hash !== a.l2Hash && a.chainIds[0] !== a.chainIds[1])
        fc.pre(a.addresses.every((addr) => !/^0x0+$/.test(addr)))
        const forkKeys = ['regolith_time', 'canyon_time', 'delta_time', 'ecotone_time', 'fjord_time', 'granite_time']
        const json = {
          genesis: {
            l1: { hash: a.l1Hash, number: a.numbers[0] },
            l2: { hash: a.l2Hash, number: a.numbers[1] },
            l2_time: a.numbers[2],
            system_config: {
              batcherAddr: a.addresses[0],
              overhead: a.l1Hash,
              scalar: a.l2Hash,
              gasLimit: a.numbers[5],
            },
          },
          block_time: a.numbers[3],
          max_sequencer_drift: a.numbers[6],
          seq_window_size: a.numbers[4] + 1,
          channel_timeout: a.numbers[6],
          l1_chain_id: a.chainIds[0],
          l2_chain_id: a.chainIds[1],
          ...Object.fromEntries(forkKeys.slice(0, a.forkCount).map((key) => [key, a.forkTime])),
          batch_inbox_address: a.addresses[1],
          deposit_contract_address: a.addresses[2],
          l1_system_config_address: a.addresses[3],
          protocol_versions_address: a.addresses[0],
        }
        const config: RollupConfig = parseRollupConfig(json)
        expect(toRollupConfigJson(config)).toStrictEqual(json)
        expect(parseRollupConfig(serializeRollupConfig(config))).toStrictEqual(config)
      }),
      { numRuns: 300 },
    )
  })
})
