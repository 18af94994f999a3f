import { concatBytes, type Hex, hexToBytes, isHex, keccak256, stringToBytes } from 'viem'
import { UINT64_MAX, uintToFixedBytes } from './bytes.js'
import { SourceHashInputError } from './errors.js'

/**
 * Source-hash domains (specs `deposits.md`, op-node `deposit_source.go`). The domain keeps deposits of different kinds
 * from ever sharing a source hash, hence a tx hash.
 */
export const SOURCE_HASH_DOMAIN = {
  userDeposit: 0n,
  l1Info: 1n,
  upgrade: 2n,
  /** Interop's `depositsComplete` tx; not used by our fork set, kept for completeness of the domain table. */
  afterForceInclude: 3n,
} as const

/** Domain 0: `keccak256(l1BlockHash || uint256(logIndex))`, logIndex counted over all logs of the L1 block. */
export function userDepositSourceHash(args: { l1BlockHash: Hex; logIndex: bigint | number }): Hex {
  return blockScopedSourceHash(SOURCE_HASH_DOMAIN.userDeposit, args.l1BlockHash, args.logIndex, 'logIndex')
}

/** Domain 1: `keccak256(l1BlockHash || uint256(sequenceNumber))`, the L2 block's position in its epoch. */
export function l1InfoDepositSourceHash(args: { l1BlockHash: Hex; sequenceNumber: bigint | number }): Hex {
  return blockScopedSourceHash(SOURCE_HASH_DOMAIN.l1Info, args.l1BlockHash, args.sequenceNumber, 'sequenceNumber')
}

/** Domain 2: `keccak256(utf8(intent))`, e.g. "Ecotone: L1 Block Proxy Update". */
export function upgradeDepositSourceHash(intent: string): Hex {
  return withDomain(SOURCE_HASH_DOMAIN.upgrade, keccak256(stringToBytes(intent), 'bytes'))
}

/** Domain 3: like domain 1; identifies interop's post-deposits `depositsComplete` tx. */
export function afterForceIncludeSourceHash(args: { l1BlockHash: Hex; sequenceNumber: bigint | number }): Hex {
  return blockScopedSourceHash(
    SOURCE_HASH_DOMAIN.afterForceInclude,
    args.l1BlockHash,
    args.sequenceNumber,
    'sequenceNumber',
  )
}

function blockScopedSourceHash(domain: bigint, l1BlockHash: Hex, index: bigint | number, field: string): Hex {
  if (!isHex(l1BlockHash, { strict: true }) || l1BlockHash.length !== 66) {
    throw new SourceHashInputError('l1BlockHash must be 32 bytes of hex', { field: 'l1BlockHash', value: l1BlockHash })
  }
  // op-node stores the index as a uint64 in the low 8 bytes of the 32-byte word.
  const value = typeof index === 'number' && Number.isSafeInteger(index) ? BigInt(index) : index
  if (typeof value !== 'bigint' || value < 0n || value > UINT64_MAX) {
    throw new SourceHashInputError(`${field} must be a uint64`, { field, value: index })
  }
  const inner = keccak256(concatBytes([hexToBytes(l1BlockHash), uintToFixedBytes(value, 32)]), 'bytes')
  return withDomain(domain, inner)
}

function withDomain(domain: bigint, inner: Uint8Array): Hex {
  return keccak256(concatBytes([uintToFixedBytes(domain, 32), inner]))
}
