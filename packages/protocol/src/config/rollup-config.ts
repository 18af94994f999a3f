import { type Address, type Hex, zeroAddress, zeroHash } from 'viem'
import { z } from 'zod'
import { RollupConfigError, type RollupConfigIssue } from './errors.js'
import { type Fork, forks, forkTimeKeys } from './forks.js'
import { addressJson, bytes32Json, chainIdJson, toJsonNumber, uint64Json } from './json-fields.js'
import { type SystemConfig, type SystemConfigJson, systemConfigJsonSchema } from './system-config.js'

export type BlockId = { hash: Hex; number: bigint }

export const altDaCommitmentTypes = ['KeccakCommitment', 'GenericCommitment'] as const
export type AltDaCommitmentType = (typeof altDaCommitmentTypes)[number]

/** rollup.json `alt_da` (op-node `AltDAConfig`); windows are counted in L1 blocks. */
export type AltDaConfig = {
  commitmentType: AltDaCommitmentType
  challengeContractAddress: Address
  challengeWindow: bigint
  resolveWindow: bigint
}

/**
 * op-node's `rollup.Config` with the fork set this node implements. uint64 quantities are bigint (viem's type for block
 * numbers, timestamps and gas), chain ids are numbers (as in viem).
 */
export type RollupConfig = {
  genesis: { l1: BlockId; l2: BlockId; l2Time: bigint; systemConfig: SystemConfig }
  blockTime: bigint
  /** Pre-Fjord value only; Fjord makes the drift a constant. Read it through `maxSequencerDrift()`. */
  maxSequencerDrift: bigint
  seqWindowSize: bigint
  /** Pre-Granite value only (op-node calls it `ChannelTimeoutBedrock`). Read it through `channelTimeout()`. */
  channelTimeoutBedrock: bigint
  l1ChainId: number
  l2ChainId: number
  /** Activation timestamp per fork; a missing fork is never active. */
  forkTimes: Partial<Record<Fork, bigint>>
  batchInboxAddress: Address
  depositContractAddress: Address
  l1SystemConfigAddress: Address
  protocolVersionsAddress: Address
  altDa?: AltDaConfig | undefined
}

/** rollup.json exactly as op-node writes it. Property order here is the order `toRollupConfigJson` emits. */
export type RollupConfigJson = {
  genesis: {
    l1: { hash: Hex; number: number }
    l2: { hash: Hex; number: number }
    l2_time: number
    system_config: SystemConfigJson
  }
  block_time: number
  max_sequencer_drift: number
  seq_window_size: number
  channel_timeout: number
  l1_chain_id: number
  l2_chain_id: number
  regolith_time?: number
  canyon_time?: number
  delta_time?: number
  ecotone_time?: number
  fjord_time?: number
  granite_time?: number
  batch_inbox_address: Address
  deposit_contract_address: Address
  l1_system_config_address: Address
  protocol_versions_address: Address
  alt_da?: {
    da_challenge_contract_address: Address
    da_commitment_type: AltDaCommitmentType
    da_challenge_window: number
    da_resolve_window: number
  }
}

const blockIdJson = z.strictObject({ hash: bytes32Json, number: uint64Json })

const altDaJson = z.strictObject({
  // Go tags it `omitempty`, which never omits a fixed-size array, so op-node always writes it; absent reads as zero.
  da_challenge_contract_address: addressJson.default(zeroAddress),
  da_commitment_type: z.enum(altDaCommitmentTypes, { error: 'expected "KeccakCommitment" or "GenericCommitment"' }),
  da_challenge_window: uint64Json,
  da_resolve_window: uint64Json,
})

const unsupportedFork = z.never({ error: 'this node implements forks up to Granite only; remove this key' }).optional()

const rollupConfigJsonShape = z.strictObject({
  genesis: z.strictObject({
    l1: blockIdJson,
    l2: blockIdJson,
    l2_time: uint64Json,
    system_config: systemConfigJsonSchema,
  }),
  block_time: uint64Json,
  max_sequencer_drift: uint64Json,
  seq_window_size: uint64Json,
  channel_timeout: uint64Json,
  l1_chain_id: chainIdJson,
  l2_chain_id: chainIdJson,
  regolith_time: uint64Json.optional(),
  canyon_time: uint64Json.optional(),
  delta_time: uint64Json.optional(),
  ecotone_time: uint64Json.optional(),
  fjord_time: uint64Json.optional(),
  granite_time: uint64Json.optional(),
  holocene_time: unsupportedFork,
  isthmus_time: unsupportedFork,
  jovian_time: unsupportedFork,
  interop_time: unsupportedFork,
  batch_inbox_address: addressJson,
  deposit_contract_address: addressJson,
  l1_system_config_address: addressJson,
  // Optional in op-node ("Beta feature"); absent reads as the zero address, which op-node then always writes.
  protocol_versions_address: addressJson.default(zeroAddress),
  alt_da: altDaJson.optional(),
})

type ParsedJson = z.output<typeof rollupConfigJsonShape>
type IssueSink = (path: (string | number)[], message: string) => void

/** op-node `Config.Check()`: the cross-field rules a single field's type cannot express, in the same order. */
function checkLikeOpNode(c: ParsedJson, fail: IssueSink): void {
  if (c.block_time === 0n) fail(['block_time'], 'block time cannot be 0')
  if (c.channel_timeout === 0n) fail(['channel_timeout'], 'channel timeout must be set')
  if (c.seq_window_size < 2n) fail(['seq_window_size'], 'sequencing window size must be at least 2')
  if (c.max_sequencer_drift === 0n) fail(['max_sequencer_drift'], 'maximum sequencer drift must be greater than 0')
  if (c.genesis.l1.hash === zeroHash) fail(['genesis', 'l1', 'hash'], 'genesis L1 hash cannot be empty')
  if (c.genesis.l2.hash === zeroHash) fail(['genesis', 'l2', 'hash'], 'genesis L2 hash cannot be empty')
  if (c.genesis.l1.hash === c.genesis.l2.hash) fail(['genesis', 'l2', 'hash'], 'L1 and L2 genesis cannot be the same')
  if (c.genesis.l2_time === 0n) fail(['genesis', 'l2_time'], 'missing L2 genesis time')
  const system = c.genesis.system_config
  if (system.batcherAddr === zeroAddress) fail(['genesis', 'system_config', 'batcherAddr'], 'missing batcher address')
  if (system.scalar === zeroHash) fail(['genesis', 'system_config', 'scalar'], 'missing scalar')
  if (system.gasLimit === 0n) fail(['genesis', 'system_config', 'gasLimit'], 'missing gas limit')
  if (c.batch_inbox_address === zeroAddress) fail(['batch_inbox_address'], 'missing batch inbox address')
  if (c.deposit_contract_address === zeroAddress) fail(['deposit_contract_address'], 'missing deposit contract address')
  if (c.l1_chain_id === c.l2_chain_id) fail(['l2_chain_id'], 'L1 and L2 chain IDs must be different')
  if (c.alt_da) checkAltDa(c.alt_da, fail)
  checkForkOrder(c, fail)
}

function checkAltDa(altDa: NonNullable<ParsedJson['alt_da']>, fail: IssueSink): void {
  const challenge = altDa.da_challenge_contract_address
  if (altDa.da_commitment_type === 'KeccakCommitment' && challenge === zeroAddress) {
    fail(['alt_da', 'da_challenge_contract_address'], 'must be set for keccak commitments')
  }
  if (altDa.da_commitment_type === 'GenericCommitment' && challenge !== zeroAddress) {
    fail(['alt_da', 'da_challenge_contract_address'], 'must be the zero address for generic commitments')
  }
  // op-node checks these only when it builds the alt-DA manager, i.e. at startup of any alt-DA node.
  if (altDa.da_challenge_window === 0n) fail(['alt_da', 'da_challenge_window'], 'missing DA challenge window')
  if (altDa.da_resolve_window === 0n) fail(['alt_da', 'da_resolve_window'], 'missing DA resolve window')
}

/** op-node `checkFork`: a fork may only be scheduled if the previous one is, and not before it. */
function checkForkOrder(c: ParsedJson, fail: IssueSink): void {
  for (let i = 1; i < forks.length; i++) {
    const prevKey = forkTimeKeys[forks[i - 1] as Fork]
    const key = forkTimeKeys[forks[i] as Fork]
    const prev = c[prevKey]
    const time = c[key]
    if (time === undefined) continue
    if (prev === undefined) fail([key], `set, but prior fork ${prevKey} is missing`)
    else if (prev > time) fail([key], `is ${time}, before prior fork ${prevKey} at ${prev}`)
  }
}

function toRollupConfig(c: ParsedJson): RollupConfig {
  const forkTimes: Partial<Record<Fork, bigint>> = {}
  for (const fork of forks) {
    const time = c[forkTimeKeys[fork]]
    if (time !== undefined) forkTimes[fork] = time
  }
  return {
    genesis: {
      l1: c.genesis.l1,
      l2: c.genesis.l2,
      l2Time: c.genesis.l2_time,
      systemConfig: c.genesis.system_config,
    },
    blockTime: c.block_time,
    maxSequencerDrift: c.max_sequencer_drift,
    seqWindowSize: c.seq_window_size,
    channelTimeoutBedrock: c.channel_timeout,
    l1ChainId: c.l1_chain_id,
    l2ChainId: c.l2_chain_id,
    forkTimes,
    batchInboxAddress: c.batch_inbox_address,
    depositContractAddress: c.deposit_contract_address,
    l1SystemConfigAddress: c.l1_system_config_address,
    protocolVersionsAddress: c.protocol_versions_address,
    altDa: c.alt_da && {
      commitmentType: c.alt_da.da_commitment_type,
      challengeContractAddress: c.alt_da.da_challenge_contract_address,
      challengeWindow: c.alt_da.da_challenge_window,
      resolveWindow: c.alt_da.da_resolve_window,
    },
  }
}

/**
 * Zod schema of op-node's rollup.json: snake_case keys, JSON numbers, unknown keys refused (op-node decodes with
 * `DisallowUnknownFields`), plus op-node's `Check()` rules. Output is the camelCase `RollupConfig`.
 */
export const rollupConfigSchema = rollupConfigJsonShape
  .superRefine((config, ctx) => {
    checkLikeOpNode(config, (path, message) => ctx.addIssue({ code: 'custom', path, message }))
  })
  .transform(toRollupConfig)

/** Parses rollup.json (text or an already-parsed value); throws `RollupConfigError` naming every bad field. */
export function parseRollupConfig(input: unknown): RollupConfig {
  let json = input
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input)
    } catch (error) {
      throw new RollupConfigError([{ path: '(root)', message: `not JSON: ${(error as Error).message}` }])
    }
  }
  const result = rollupConfigSchema.safeParse(json)
  if (result.success) return result.data
  const issues: RollupConfigIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'),
    message: issue.message,
  }))
  throw new RollupConfigError(issues)
}

/** The config in op-node's JSON shape and key order (Go struct order; unset forks omitted as `omitempty` does). */
export function toRollupConfigJson(config: RollupConfig): RollupConfigJson {
  const num = toJsonNumber
  const { l1, l2, l2Time, systemConfig } = config.genesis
  const forkTimes: Partial<Record<(typeof forkTimeKeys)[Fork], number>> = {}
  for (const fork of forks) {
    const time = config.forkTimes[fork]
    if (time !== undefined) forkTimes[forkTimeKeys[fork]] = num(time, forkTimeKeys[fork])
  }
  // Go prints addresses and hashes in lower case.
  const lower = <T extends string>(value: T) => value.toLowerCase() as T
  return {
    genesis: {
      l1: { hash: lower(l1.hash), number: num(l1.number, 'genesis.l1.number') },
      l2: { hash: lower(l2.hash), number: num(l2.number, 'genesis.l2.number') },
      l2_time: num(l2Time, 'genesis.l2_time'),
      system_config: {
        batcherAddr: lower(systemConfig.batcherAddr),
        overhead: lower(systemConfig.overhead),
        scalar: lower(systemConfig.scalar),
        gasLimit: num(systemConfig.gasLimit, 'genesis.system_config.gasLimit'),
      },
    },
    block_time: num(config.blockTime, 'block_time'),
    max_sequencer_drift: num(config.maxSequencerDrift, 'max_sequencer_drift'),
    seq_window_size: num(config.seqWindowSize, 'seq_window_size'),
    channel_timeout: num(config.channelTimeoutBedrock, 'channel_timeout'),
    l1_chain_id: config.l1ChainId,
    l2_chain_id: config.l2ChainId,
    ...forkTimes,
    batch_inbox_address: lower(config.batchInboxAddress),
    deposit_contract_address: lower(config.depositContractAddress),
    l1_system_config_address: lower(config.l1SystemConfigAddress),
    protocol_versions_address: lower(config.protocolVersionsAddress),
    ...(config.altDa && {
      alt_da: {
        da_challenge_contract_address: lower(config.altDa.challengeContractAddress),
        da_commitment_type: config.altDa.commitmentType,
        da_challenge_window: num(config.altDa.challengeWindow, 'alt_da.da_challenge_window'),
        da_resolve_window: num(config.altDa.resolveWindow, 'alt_da.da_resolve_window'),
      },
    }),
  }
}

/**
 * rollup.json text byte for byte as op-node's `jsonutil.WriteJSON` writes it: two-space indent, then two newlines
 * (`json.Encoder.Encode` ends with one and WriteJSON appends another). Throws `RollupConfigError` for an invalid config.
 */
export function serializeRollupConfig(config: RollupConfig): string {
  const json = toRollupConfigJson(config)
  // Refuse to write a file op-node (or our own parser) would reject: the writer learns about it, not the reader.
  parseRollupConfig(json)
  return `${JSON.stringify(json, null, 2)}\n\n`
}
