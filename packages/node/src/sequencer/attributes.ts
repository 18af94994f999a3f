import type { ConfigUpdate, RollupConfig, SystemConfig } from '@opl/protocol'
import { buildL1InfoDepositTransaction, type DepositTransaction, extractUserDeposits } from '@opl/protocol'
import { type Hex, zeroHash } from 'viem'
import { SEQUENCER_FEE_VAULT } from '../engine/addresses.js'
import type { PayloadAttributes } from '../engine/block-builder.js'
import { CriticalError, L1ReorgError, ResetError } from '../l1/errors.js'
import type { L1Source } from '../l1/l1-source.js'
import { formatRef, type L1BlockInfo } from '../l1/types.js'
import type { L2BlockRef } from './l2-block-ref.js'
import { applySystemConfigUpdates } from './system-config-updates.js'

/** Everything needed to build the next L2 block, before pool txs (op-node's attributes with NoTxPool = true). */
export type PreparedAttributes = {
  attributes: Omit<PayloadAttributes, 'transactions'>
  /** the L1-info deposit, then the epoch's user deposits (first block of an epoch only) */
  deposits: DepositTransaction[]
  origin: L1BlockInfo
  sequenceNumber: bigint
  /** the SystemConfig this block is built with */
  systemConfig: SystemConfig
  /** SystemConfig updates read from the origin's receipts (first block of an epoch only) */
  configUpdates: ConfigUpdate[]
}

/** Deposits from L1 that op-node could not read: derivation would stop too, so the sequencer must not guess. */
export class DepositDerivationError extends CriticalError {
  override name = 'DepositDerivationError'
}

/**
 * op-node `FetchingAttributesBuilder.PreparePayloadAttributes` for our fork set (Regolith..Granite at genesis: no
 * upgrade txs, Canyon withdrawals `[]` are implied by the engine, Ecotone parent beacon root always set, no Holocene
 * EIP-1559 params).
 *
 * - New epoch (origin number differs from the parent's): fetch the origin's receipts, check the origin is the child of
 *   the parent's origin (else reset), derive user deposits (malformed → critical), apply SystemConfig updates.
 * - Same epoch: the origin must be the parent's origin (else reset); no deposits; sequence number + 1.
 * - `nextL2Time < origin.timestamp` breaks the L1/L2 time invariant → reset.
 */
export async function prepareAttributes(args: {
  config: RollupConfig
  l1: L1Source
  parent: L2BlockRef
  parentSystemConfig: SystemConfig
  origin: L1BlockInfo
  blobBaseFeeUpdateFraction: bigint
}): Promise<PreparedAttributes> {
  const { config, l1, parent, origin } = args
  let systemConfig = args.parentSystemConfig
  let userDeposits: DepositTransaction[] = []
  let configUpdates: ConfigUpdate[] = []
  let sequenceNumber: bigint
  if (parent.l1Origin.number !== origin.number) {
    if (parent.l1Origin.hash !== origin.parentHash) {
      throw new L1ReorgError('new L1 origin is not the child of the L2 head origin', {
        origin: formatRef(origin),
        originParent: origin.parentHash,
        headOrigin: formatRef(parent.l1Origin),
      })
    }
    const receipts = await l1.receipts(origin)
    try {
      userDeposits = extractUserDeposits({
        receipts,
        depositContractAddress: config.depositContractAddress,
        l1BlockHash: origin.hash,
      })
    } catch (cause) {
      throw new DepositDerivationError(
        `failed to derive the deposits of L1 block ${origin.number}: ${(cause as Error).message}`,
        { origin: formatRef(origin) },
        { cause },
      )
    }
    const updated = applySystemConfigUpdates({
      config,
      systemConfig,
      receipts,
      l1Time: origin.timestamp,
    })
    systemConfig = updated.systemConfig
    configUpdates = updated.applied
    sequenceNumber = 0n
  } else {
    if (parent.l1Origin.hash !== origin.hash) {
      throw new L1ReorgError('L1 origin conflicts with the L2 head origin', {
        origin: formatRef(origin),
        headOrigin: formatRef(parent.l1Origin),
      })
    }
    sequenceNumber = parent.sequenceNumber + 1n
  }

  const timestamp = parent.timestamp + config.blockTime
  if (timestamp < origin.timestamp) {
    throw new ResetError('next L2 block would be older than its L1 origin', {
      timestamp,
      origin: formatRef(origin),
      originTime: origin.timestamp,
    })
  }

  const l1Info = buildL1InfoDepositTransaction({
    origin,
    sequenceNumber,
    systemConfig,
    blobBaseFeeUpdateFraction: args.blobBaseFeeUpdateFraction,
  })
  return {
    attributes: {
      timestamp,
      prevRandao: origin.mixHash,
      suggestedFeeRecipient: SEQUENCER_FEE_VAULT,
      // Ecotone: the L1 origin's beacon root, or zero when L1 has none (pre-Cancun L1).
      parentBeaconBlockRoot: origin.parentBeaconBlockRoot ?? (zeroHash as Hex),
      gasLimit: systemConfig.gasLimit,
    },
    deposits: [l1Info, ...userDeposits],
    origin,
    sequenceNumber,
    systemConfig,
    configUpdates,
  }
}
