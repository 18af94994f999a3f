import type { Address, Hex, LocalAccount } from 'viem'
import { parseSignature } from 'viem'

export type PermitRequest = {
  /** The token's EIP-712 domain (its `eip712Domain()`, or the name and version it was deployed with). */
  domain: { name: string; version: string; chainId: number | bigint; verifyingContract: Address }
  spender: Address
  value: bigint
  nonce: bigint
  deadline: bigint
}

/** An EIP-2612 `Permit` signed by `owner`, split into the `v, r, s` that `permit(...)` and `*WithPermit` entry points take. */
export async function signPermit(
  owner: LocalAccount,
  { domain, spender, value, nonce, deadline }: PermitRequest,
): Promise<{ v: number; r: Hex; s: Hex }> {
  const signature = await owner.signTypedData({
    domain: { ...domain, chainId: Number(domain.chainId) },
    types: {
      Permit: [
        { name: 'owner', type: 'address' },
        { name: 'spender', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'nonce', type: 'uint256' },
        { name: 'deadline', type: 'uint256' },
      ],
    },
    primaryType: 'Permit',
    message: { owner: owner.address, spender, value, nonce, deadline },
  })
  const { r, s, yParity } = parseSignature(signature)
  return { v: 27 + yParity, r, s }
}
