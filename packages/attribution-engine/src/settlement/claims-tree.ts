import { StandardMerkleTree } from '@openzeppelin/merkle-tree'
import type { Address, Hex } from 'viem'

export const CLAIM_LEAF_TYPES = ['address', 'uint256'] as const

export type ClaimProof = { epoch: number; account: Address; amount: string; root: Hex; proof: Hex[] }

/**
 * The epoch's claims tree: OpenZeppelin StandardMerkleTree over (account, amount) leaves, so a contract checks a
 * claim with `MerkleProof.verify(proof, root, keccak256(bytes.concat(keccak256(abi.encode(account, amount)))))`.
 * Leaves are sorted by account, so the same payouts give the same root.
 */
export function buildClaimsTree(epoch: number, payouts: ReadonlyMap<Address, bigint>) {
  const entries = [...payouts]
    .filter(([, v]) => v > 0n)
    .sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))
    .map(([account, amount]) => [account, amount.toString()] as [string, string])
  const tree = StandardMerkleTree.of(entries, [...CLAIM_LEAF_TYPES])
  const root = tree.root as Hex
  const proofs = entries.map(
    ([account, amount], i): ClaimProof => ({
      epoch,
      account: account as Address,
      amount,
      root,
      proof: tree.getProof(i) as Hex[],
    }),
  )
  return { root, proofs, tree }
}

export function verifyClaim(claim: ClaimProof): boolean {
  return StandardMerkleTree.verify(claim.root, [...CLAIM_LEAF_TYPES], [claim.account, claim.amount], claim.proof)
}
