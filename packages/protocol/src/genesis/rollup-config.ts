import { type Address, type Hex, zeroAddress } from 'viem'
import {
  type AltDaConfig,
  type Fork,
  forks,
  parseRollupConfig,
  type RollupConfig,
  toRollupConfigJson,
} from '../config/index.js'
import type { L2Genesis } from './genesis.js'

export type RollupConfigInput = {
  genesis: L2Genesis
  /** The L1 block SystemConfig was initialized in (`SystemConfig.startBlock()`). */
  l1Genesis: { hash: Hex; number: number | bigint }
  /** SystemConfig as initialized: batcher, overhead and scalar words, gas limit. */
  systemConfig: { batcherAddr: Address; overhead: Hex; scalar: Hex; gasLimit: bigint }
  blockTime: number
  batchInboxAddress: Address
  /** The OptimismPortal proxy. */
  depositContractAddress: Address
  l1SystemConfigAddress: Address
  protocolVersionsAddress?: Address
  /** Pre-Fjord only; op-node's standard 600 s. */
  maxSequencerDrift?: number
  /** L1 blocks; 3600 (12 h) is the standard. */
  seqWindowSize?: number
  /** L1 blocks, pre-Granite; 300 is the standard. */
  channelTimeout?: number
  altDa?: AltDaConfig
}

/**
 * op-node's rollup config for this genesis: the fork times and chain ids come from the genesis config so the two files
 * cannot disagree, and `genesis.l2` is the hash computed for genesis.json. Round-tripped through the rollup.json
 * schema, so a config op-node would reject is refused here.
 */
export function buildRollupConfig(input: RollupConfigInput): RollupConfig {
  const { genesis } = input
  const forkTimes: Partial<Record<Fork, bigint>> = {}
  for (const fork of forks) {
    const time = genesis.config.forks[fork]
    if (time !== null) forkTimes[fork] = BigInt(time)
  }
  const config: RollupConfig = {
    genesis: {
      l1: { hash: input.l1Genesis.hash, number: BigInt(input.l1Genesis.number) },
      l2: { hash: genesis.hash, number: 0n },
      l2Time: BigInt(genesis.config.timestamp),
      systemConfig: input.systemConfig,
    },
    blockTime: BigInt(input.blockTime),
    maxSequencerDrift: BigInt(input.maxSequencerDrift ?? 600),
    seqWindowSize: BigInt(input.seqWindowSize ?? 3600),
    channelTimeoutBedrock: BigInt(input.channelTimeout ?? 300),
    l1ChainId: genesis.config.l1ChainId,
    l2ChainId: genesis.config.l2ChainId,
    forkTimes,
    batchInboxAddress: input.batchInboxAddress,
    depositContractAddress: input.depositContractAddress,
    l1SystemConfigAddress: input.l1SystemConfigAddress,
    protocolVersionsAddress: input.protocolVersionsAddress ?? zeroAddress,
    altDa: input.altDa,
  }
  return parseRollupConfig(toRollupConfigJson(config))
}
