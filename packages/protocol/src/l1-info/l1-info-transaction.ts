import { type Address, getAddress, type Hex } from 'viem'
import type { DepositTransaction } from '../deposits/deposit-transaction.js'
import { l1InfoDepositSourceHash } from '../deposits/source-hash.js'
import { computeBlobBaseFee, MIN_BLOB_BASE_FEE } from './blob-base-fee.js'
import { encodeL1InfoEcotone, type L1BlockInfoEcotone } from './ecotone-calldata.js'
import { decodeEcotoneScalar } from './fee-scalars.js'

/** The system account that sends the L1-info deposit. */
export const L1_INFO_DEPOSITOR_ADDRESS: Address = getAddress('0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001')

/** The L1Block predeploy the L1-info deposit calls. */
export const L1_BLOCK_ADDRESS: Address = '0x4200000000000000000000000000000000000015'

/** Gas of the L1-info deposit from Regolith on (it was 150,000,000 with isSystemTx before). */
export const L1_INFO_DEPOSIT_GAS = 1_000_000n

/** The L1 origin header fields the L1-info tx reads; `excessBlobGas` is absent before Cancun on L1. */
export type L1InfoOrigin = {
  number: bigint
  timestamp: bigint
  hash: Hex
  baseFeePerGas: bigint
  excessBlobGas?: bigint | null | undefined
}

/** The SystemConfig values the L1-info tx reads (field names as in `SystemConfig` of the config module). */
export type L1InfoSystemConfig = { batcherAddr: Address; scalar: Hex }

/**
 * The Ecotone L1-info values of an L2 block (op-node `L1InfoDeposit`). The blob base fee comes from the origin's
 * `excessBlobGas` with the update fraction of the L1 fork active at the origin, or 1 if L1 has no blobs.
 */
export function l1BlockInfoFromOrigin(args: {
  origin: L1InfoOrigin
  sequenceNumber: bigint
  systemConfig: L1InfoSystemConfig
  blobBaseFeeUpdateFraction: bigint
}): L1BlockInfoEcotone {
  const { origin, sequenceNumber, systemConfig, blobBaseFeeUpdateFraction } = args
  const excessBlobGas = origin.excessBlobGas
  return {
    number: origin.number,
    timestamp: origin.timestamp,
    baseFee: origin.baseFeePerGas,
    blockHash: origin.hash,
    blobBaseFee:
      excessBlobGas === undefined || excessBlobGas === null
        ? MIN_BLOB_BASE_FEE
        : computeBlobBaseFee(excessBlobGas, blobBaseFeeUpdateFraction),
    sequenceNumber,
    batcherAddr: systemConfig.batcherAddr,
    ...decodeEcotoneScalar(systemConfig.scalar),
  }
}

/**
 * The first tx of every L2 block: a deposit from the depositor account to L1Block with the Ecotone calldata, 1,000,000
 * gas, no mint or value, not a system tx, source hash domain 1 over (origin hash, sequence number).
 *
 * Only the Ecotone form exists here: our chain activates Regolith..Granite at genesis, and the genesis block carries no
 * txs, so every L1-info tx is post-Ecotone and the activation-block fallback to `setL1BlockValues` never applies.
 */
export function l1InfoDepositFromBlockInfo(info: L1BlockInfoEcotone): DepositTransaction {
  return {
    sourceHash: l1InfoDepositSourceHash({ l1BlockHash: info.blockHash, sequenceNumber: info.sequenceNumber }),
    from: L1_INFO_DEPOSITOR_ADDRESS,
    to: L1_BLOCK_ADDRESS,
    mint: 0n,
    value: 0n,
    gas: L1_INFO_DEPOSIT_GAS,
    isSystemTx: false,
    data: encodeL1InfoEcotone(info),
  }
}

/** `l1InfoDepositFromBlockInfo(l1BlockInfoFromOrigin(args))`: the L1-info deposit of an L2 block. */
export function buildL1InfoDepositTransaction(args: Parameters<typeof l1BlockInfoFromOrigin>[0]): DepositTransaction {
  return l1InfoDepositFromBlockInfo(l1BlockInfoFromOrigin(args))
}
