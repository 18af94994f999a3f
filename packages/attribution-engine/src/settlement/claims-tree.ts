import { StandardMerkleTree } from '@openzeppelin/merkle-tree'
import type { Address, Hex } from 'viem'

/** AttributionRewards' reward leaf: (epoch, index, account, amount). */
export const CLAIM_LEAF_TYPES = ['uint64', 'uint256', 'address', 'uint256'] as const

/** One claimable leaf: `index` is its position in the epoch's list (the contract's claimed-bitmap key). */
export type ClaimProof = { epoch: number; index: number; account: Address; amount: string; root: Hex; proof: Hex[] }

/**
 * The epoch's claims tree: OpenZeppelin StandardMerkleTree over (epoch, index, account, amount) leaves, so the
 * contract checks a claim with `MerkleProof.verify(proof, root,
 * keccak256(bytes.concat(keccak256(abi.encode(epoch, index, account, amount)))))`. Leaves are sorted by account
 * and numbered in that order, so the same payouts give the same indexes and root.
 */
export function buildClaimsTree(epoch: number, payouts: ReadonlyMap<Address, bigint>) {
  const entries = [...payouts]
    .filter(([, v]) => v > 0n)
    .sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))
    .map(([account, amount], index) => [epoch.toString(), index.toString(), account, amount.toString()])
  const tree = StandardMerkleTree.of(entries, [...CLAIM_LEAF_TYPES])
  const root = tree.root as Hex
  const proofs = entries.map(
    ([, , account, amount], index): ClaimProof => ({
      epoch,
      index,
      account: account as Address,
      amount: amount as string,
      root,
      proof: tree.getProof(index) as Hex[],
    }),
  )
  return { root, proofs, tree }
}

export function verifyClaim(claim: ClaimProof): boolean {
  return StandardMerkleTree.verify(
    claim.root,
    [...CLAIM_LEAF_TYPES],
    [claim.epoch.toString(), claim.index.toString(), claim.account, claim.amount],
    claim.proof,
  )
}
