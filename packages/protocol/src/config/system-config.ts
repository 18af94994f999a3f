import type { Address, Hex } from 'viem'
import { z } from 'zod'
import { addressJson, bytes32Json, fixedBytesJson, uint64Json } from './json-fields.js'

/**
 * The L1 SystemConfig values derivation tracks (op-service `eth.SystemConfig`), pre-Holocene. `overhead` and `scalar`
 * are the raw 32-byte words; Ecotone's baseFeeScalar / blobBaseFeeScalar are decoded from `scalar` by the L1-info code.
 */
export type SystemConfig = {
  batcherAddr: Address
  overhead: Hex
  scalar: Hex
  gasLimit: bigint
}

const zeroEip1559Params = '0x0000000000000000'

/**
 * `genesis.system_config` as op-node writes it. Keys are camelCase here (unlike the rest of rollup.json) because Go
 * tags them so. op-node from Holocene's introduction on also writes `eip1559Params`; it only has meaning once Holocene
 * is active, which our fork set never is, so it is accepted only as all zeroes and dropped (op-deployer writes the
 * same pre-Holocene shape, `MarshalPreHolocene`).
 */
export const systemConfigJsonSchema = z
  .strictObject({
    batcherAddr: addressJson,
    overhead: bytes32Json,
    scalar: bytes32Json,
    gasLimit: uint64Json,
    eip1559Params: fixedBytesJson(8)
      .refine((value) => value === zeroEip1559Params, { error: 'must be zero: Holocene is not active on this chain' })
      .optional(),
  })
  .transform(
    ({ batcherAddr, overhead, scalar, gasLimit }): SystemConfig => ({ batcherAddr, overhead, scalar, gasLimit }),
  )

export type SystemConfigJson = { batcherAddr: Address; overhead: Hex; scalar: Hex; gasLimit: number }
