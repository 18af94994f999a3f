import { type Address, getAddress, keccak256, numberToHex } from 'viem'
import { BatchInboxAddressError } from './errors.js'

/**
 * - `legacy`: `0xff00…00` followed by the chain id's **decimal** digits read as hex nibbles (OP Mainnet 10 ->
 *   `0xff00…0010`, devnet 901 -> `0xff00…0901`), as in the deploy-config templates and the superchain registry.
 * - `hashed`: `0x00 || keccak256(uint256(chainId))[0:19]`, what op-deployer computes (`calculateBatchInboxAddr`).
 * Derivation only compares `to` with rollup.json's `batch_inbox_address`; both are conventions, not rules.
 */
export type BatchInboxConvention = 'legacy' | 'hashed'

export function batchInboxAddressFor(chainId: number | bigint, convention: BatchInboxConvention): Address {
  const id = BigInt(chainId)
  if (id <= 0n) throw new BatchInboxAddressError('chain id must be positive', { chainId: id })
  if (convention === 'hashed') {
    const hash = keccak256(numberToHex(id, { size: 32 }))
    return getAddress(`0x00${hash.slice(2, 2 + 38)}`)
  }
  const digits = id.toString(10)
  // 20 bytes = 40 nibbles, of which `ff` takes two.
  if (digits.length > 38)
    throw new BatchInboxAddressError('chain id has too many digits for 0xff00… form', { chainId: id })
  return getAddress(`0xff${digits.padStart(38, '0')}`)
}
