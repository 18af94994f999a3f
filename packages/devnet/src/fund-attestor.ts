import { devnetAttestorKey } from '@opl/service-kit'
import { type Address, erc20Abi, type Hex, parseEther } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { DEVNET_ATTRIBUTION } from './l2-contracts.js'
import { devnetWallet } from './wallet.js'

/** The devnet attestor's address (mnemonic account 20, the attribution service's devnet key). */
export function devnetAttestor(): Address {
  return privateKeyToAddress(devnetAttestorKey())
}

/**
 * Gives the devnet attestor, on L1, the OPEN of its bond and ETH for the two bridge txs, sent by the deployer with
 * consecutive nonces while the fresh L1 is still on automine. The attribution service then bridges its bond with the
 * attestor's own key in the background (ensureDevnetAttestor) and never races the deployer's nonces.
 */
export async function fundDevnetAttestorOnL1(args: {
  l1Rpc: string
  chainId: number
  deployerKey: Hex
  open: Address
}): Promise<void> {
  const { account, client, wallet } = devnetWallet({
    rpc: args.l1Rpc,
    chainId: args.chainId,
    key: args.deployerKey,
    name: 'devnet L1',
    pollingInterval: 50,
  })
  const attestor = devnetAttestor()
  let nonce = await client.getTransactionCount({ address: account.address, blockTag: 'pending' })
  const hashes = [
    await wallet.sendTransaction({ to: attestor, value: parseEther('1'), nonce: nonce++ }),
    await wallet.writeContract({
      address: args.open,
      abi: erc20Abi,
      functionName: 'transfer',
      args: [attestor, DEVNET_ATTRIBUTION.minAttestorBond],
      nonce: nonce++,
    }),
  ]
  for (const hash of hashes) {
    const receipt = await client.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new Error(`funding the devnet attestor on L1: tx ${hash} reverted`)
  }
}
