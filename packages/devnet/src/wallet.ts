import { nativeSigningAccount } from '@opl/service-kit'
import { createPublicClient, createWalletClient, type Hex, http } from 'viem'

/** A devnet key's account with a public and a wallet client on one chain (L1 or L2) of the devnet. */
export function devnetWallet(args: { rpc: string; chainId: number; key: Hex; name: string; pollingInterval: number }) {
  const account = nativeSigningAccount(args.key)
  const chain = {
    id: args.chainId,
    name: args.name,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [args.rpc] } },
  }
  const client = createPublicClient({ chain, transport: http(args.rpc), pollingInterval: args.pollingInterval })
  const wallet = createWalletClient({ account, chain, transport: http(args.rpc) })
  return { account, client, wallet }
}
