import { encodeAbiParameters, type Hex, keccak256 } from 'viem'

/** `sentMessages` is the first variable of L2ToL1MessagePasser. */
export const SENT_MESSAGES_SLOT = 0n

/**
 * Storage key of `sentMessages[withdrawalHash]` in the L2ToL1MessagePasser: keccak256(abi.encode(hash, uint256(0))).
 * This is the key passed to `eth_getProof`; the storage trie hashes it once more (secure trie).
 */
export function withdrawalStorageSlot(withdrawalHash: Hex): Hex {
  return keccak256(
    encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }], [withdrawalHash, SENT_MESSAGES_SLOT]),
  )
}
