import type { BlockHeader } from '@ethereumjs/block'
import type { BlockId, RollupConfig, SystemConfig } from '@opl/protocol'
import {
  DEPOSIT_TX_TYPE,
  decodeDepositTransaction,
  decodeL1InfoEcotone,
  encodeEcotoneScalar,
  type L1BlockInfoEcotone,
} from '@opl/protocol'
import { bytesToHex, type Hex } from 'viem'
import { CriticalError } from '../l1/errors.js'

/** op-node `eth.L2BlockRef`: an L2 block placed in the chain and in its epoch. */
export type L2BlockRef = {
  hash: Hex
  number: bigint
  parentHash: Hex
  timestamp: bigint
  /** the epoch: the L1 block this L2 block's L1-info tx names */
  l1Origin: BlockId
  /** position in the epoch, 0 for its first block */
  sequenceNumber: bigint
}

/** An L2 block as the store or the engine holds it; `SealedBlock` fits. */
export type L2Block = { header: BlockHeader; transactions: readonly { raw: Uint8Array }[] }

/** The head block does not say where it sits on L1: nothing can be built on it without a human. */
export class L2BlockInfoError extends CriticalError {
  override name = 'L2BlockInfoError'
}

/**
 * The L2BlockRef of a block, read from its first tx (op-node `PayloadToBlockRef`): genesis has no txs and takes
 * `genesis.l1` as origin; every other block starts with the L1-info deposit naming its origin and sequence number.
 * This is how the sequencer recovers its epoch after a restart — no extra state is persisted.
 */
export function l2BlockRefOf(config: Pick<RollupConfig, 'genesis'>, block: L2Block): L2BlockRef {
  const header = block.header
  const base = {
    hash: bytesToHex(header.hash()),
    number: header.number,
    parentHash: bytesToHex(header.parentHash),
    timestamp: header.timestamp,
  }
  if (header.number === config.genesis.l2.number) {
    assertGenesis(config, base.hash)
    return { ...base, l1Origin: config.genesis.l1, sequenceNumber: 0n }
  }
  const info = l1InfoOf(block)
  return { ...base, l1Origin: { hash: info.blockHash, number: info.number }, sequenceNumber: info.sequenceNumber }
}

/**
 * The SystemConfig in force after a block (op-node `PayloadToSystemConfig`): the batcher and scalars its L1-info tx
 * carried and its gas limit. Ecotone's L1-info tx has no overhead, and the scalar comes back re-encoded as version 1
 * — op-node does the same: it cannot tell a v0 from a v1 scalar, and both give the same fee.
 */
export function systemConfigOf(config: Pick<RollupConfig, 'genesis'>, block: L2Block): SystemConfig {
  if (block.header.number === config.genesis.l2.number) {
    assertGenesis(config, bytesToHex(block.header.hash()))
    return config.genesis.systemConfig
  }
  const info = l1InfoOf(block)
  return {
    batcherAddr: info.batcherAddr,
    overhead: `0x${'00'.repeat(32)}`,
    scalar: encodeEcotoneScalar({ baseFeeScalar: info.baseFeeScalar, blobBaseFeeScalar: info.blobBaseFeeScalar }),
    gasLimit: block.header.gasLimit,
  }
}

function l1InfoOf(block: L2Block): L1BlockInfoEcotone {
  const hash = bytesToHex(block.header.hash())
  const first = block.transactions[0]
  if (!first) throw new L2BlockInfoError('L2 block is missing its L1-info deposit', { hash })
  if (first.raw[0] !== DEPOSIT_TX_TYPE) {
    throw new L2BlockInfoError('first tx of the L2 block is not a deposit', { hash, type: first.raw[0] })
  }
  try {
    return decodeL1InfoEcotone(decodeDepositTransaction(first.raw).data)
  } catch (cause) {
    throw new L2BlockInfoError('cannot read the L1-info deposit of the L2 block', { hash }, { cause })
  }
}

function assertGenesis(config: Pick<RollupConfig, 'genesis'>, hash: Hex): void {
  if (hash.toLowerCase() !== config.genesis.l2.hash.toLowerCase()) {
    throw new L2BlockInfoError('L2 block at the genesis number is not the rollup genesis', {
      hash,
      expected: config.genesis.l2.hash,
    })
  }
}
