import type { L1Receipt } from '@opl/protocol'
import {
  assertValidEcotoneScalar,
  type ConfigUpdate,
  extractConfigUpdates,
  isForkActive,
  type RollupConfig,
  type SystemConfig,
} from '@opl/protocol'
import { type Hex, zeroHash } from 'viem'
import { CriticalError } from '../l1/errors.js'

/** A SystemConfig `ConfigUpdate` log op-node could not process. */
export class SystemConfigUpdateError extends CriticalError {
  override name = 'SystemConfigUpdateError'
}

/**
 * Applies the SystemConfig updates of one L1 block, in log order, to the config in force (op-node
 * `UpdateSystemConfigWithL1Receipts`, the attributes copy): done with the new epoch's receipts before its first L2
 * block is built, so a gas-limit change applies fully in the first L2 block whose origin contains it.
 *
 * op-node treats a malformed update log as a critical error for attributes preparation, although the spec says such an
 * update "is not applied": follow op-node. With Ecotone active at the L1 block's time, a scalar that fails the Ecotone
 * check is ignored (the old one kept) and the overhead is zeroed. The unsafe-block signer is not consensus; Holocene's
 * EIP-1559 params and later update types are recorded by op-node but unused by our fork set, so they are ignored.
 */
export function applySystemConfigUpdates(args: {
  config: Pick<RollupConfig, 'l1SystemConfigAddress' | 'forkTimes'>
  systemConfig: SystemConfig
  receipts: readonly L1Receipt[]
  l1Time: bigint
}): { systemConfig: SystemConfig; applied: ConfigUpdate[] } {
  const { config, receipts, l1Time } = args
  const { updates, rejected } = extractConfigUpdates({
    receipts,
    systemConfigAddress: config.l1SystemConfigAddress,
  })
  if (rejected.length > 0) {
    const first = rejected[0]!
    throw new SystemConfigUpdateError(`malformed SystemConfig update log: ${first.error.message}`, {
      receiptIndex: first.receiptIndex,
      count: rejected.length,
    })
  }
  let systemConfig = { ...args.systemConfig }
  const applied: ConfigUpdate[] = []
  for (const update of updates) {
    const next = applyOne(systemConfig, update, isForkActive(config, 'ecotone', l1Time))
    if (next !== systemConfig) applied.push(update)
    systemConfig = next
  }
  return { systemConfig, applied }
}

function applyOne(current: SystemConfig, update: ConfigUpdate, ecotone: boolean): SystemConfig {
  switch (update.type) {
    case 'batcher':
      return { ...current, batcherAddr: update.batcherAddr }
    case 'gasLimit':
      return { ...current, gasLimit: update.gasLimit }
    case 'feeScalars':
      if (!ecotone) return { ...current, overhead: update.overhead, scalar: update.scalar }
      if (!isValidEcotoneScalar(update.scalar)) return current
      return { ...current, overhead: zeroHash, scalar: update.scalar }
    default:
      return current
  }
}

function isValidEcotoneScalar(scalar: Hex): boolean {
  try {
    assertValidEcotoneScalar(scalar)
    return true
  } catch {
    return false
  }
}
