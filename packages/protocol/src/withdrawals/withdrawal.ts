import { type Address, encodeAbiParameters, type Hex, keccak256 } from 'viem'

/** A withdrawal as the L2ToL1MessagePasser records it and `OptimismPortal.proveWithdrawalTransaction` takes it. */
export type Withdrawal = {
  nonce: bigint
  sender: Address
  target: Address
  value: bigint
  gasLimit: bigint
  data: Hex
}

const withdrawalParameters = [
  { type: 'uint256' },
  { type: 'address' },
  { type: 'address' },
  { type: 'uint256' },
  { type: 'uint256' },
  { type: 'bytes' },
] as const

/** `Hashing.hashWithdrawal`: keccak256(abi.encode(nonce, sender, target, value, gasLimit, data)). */
export function hashWithdrawal(withdrawal: Withdrawal): Hex {
  const { nonce, sender, target, value, gasLimit, data } = withdrawal
  return keccak256(encodeAbiParameters(withdrawalParameters, [nonce, sender, target, value, gasLimit, data]))
}
