import { type Address, createPublicClient, createWalletClient, erc20Abi, type Hex, http, parseAbi } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { bridgeOpenToL2 } from './bridge-open.js'
import { type DevnetFile, devnetChains } from './devnet-file.js'

const rewardsAbi = parseAbi([
  'function ATTESTOR_ROLE() view returns (bytes32)',
  'function hasRole(bytes32 role, address account) view returns (bool)',
  'function grantRole(bytes32 role, address account)',
  'function minAttestorBond() view returns (uint128)',
  'function bondOf(address attestor) view returns ((uint128 amount, uint48 lockedUntil, uint32 openChallenges))',
  'function depositBond(uint256 amount)',
])

/**
 * Makes `attestorKey` a bonded attestor of the devnet's AttributionRewards, doing only what is missing: the
 * deployer (the contracts' admin) grants ATTESTOR_ROLE, OPEN for the bond crosses the bridge, and the attestor
 * deposits the bond. Idempotent, so every service start may call it; bonded already, it costs three reads.
 *
 * The devnet grants the role while it deploys the L2 contracts and gives the attestor L1 OPEN and ETH while it deploys
 * L1: the bond's OPEN is then bridged with the attestor's own L1 key, so a bond running in the background never
 * shares the deployer's nonces with a user (or test) who sends from the deployer after the devnet is ready. A
 * devnet without that (older data dirs) falls back to the deployer's role grant and L1 supply.
 */
export async function ensureDevnetAttestor(
  devnet: DevnetFile,
  attestorKey: Hex,
  options: { signal?: AbortSignal } = {},
): Promise<Address> {
  const chains = devnetChains(devnet)
  const transport = http(devnet.l2.rpc)
  const client = createPublicClient({ chain: chains.l2, transport, pollingInterval: 250 })
  const attestor = privateKeyToAccount(attestorKey)
  const admin = createWalletClient({
    account: privateKeyToAccount(devnet.accounts.deployer.privateKey),
    chain: chains.l2,
    transport,
  })
  const self = createWalletClient({ account: attestor, chain: chains.l2, transport })
  const rewards = devnet.contracts.l2.AttributionRewards
  const read = <T>(functionName: string, args: readonly unknown[] = []) =>
    client.readContract({ address: rewards, abi: rewardsAbi, functionName, args } as never) as Promise<T>
  const wait = async (hash: Hex) => {
    const r = await client.waitForTransactionReceipt({ hash, timeout: 120_000 })
    if (r.status !== 'success') throw new Error(`devnet attestor setup tx ${hash} reverted`)
  }

  const role = await read<Hex>('ATTESTOR_ROLE')
  const [hasRole, min, bond] = await Promise.all([
    read<boolean>('hasRole', [role, attestor.address]),
    read<bigint>('minAttestorBond'),
    read<{ amount: bigint }>('bondOf', [attestor.address]),
  ])
  if (!hasRole)
    await wait(
      await admin.writeContract({
        address: rewards,
        abi: rewardsAbi,
        functionName: 'grantRole',
        args: [role, attestor.address],
      }),
    )
  if (bond.amount >= min) return attestor.address
  const need = min - bond.amount
  const open = devnet.contracts.l2.OPEN
  const held = await client.readContract({
    address: open,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [attestor.address],
  })
  if (held < need) {
    const l1 = createPublicClient({ chain: chains.l1, transport: http(devnet.l1.rpc) })
    const own = await l1.readContract({
      address: devnet.contracts.l1.OPEN,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [attestor.address],
    })
    await bridgeOpenToL2({
      devnet,
      fromKey: own >= need - held ? attestorKey : devnet.accounts.deployer.privateKey,
      to: attestor.address,
      amount: need - held,
      signal: options.signal,
    })
  }
  options.signal?.throwIfAborted()
  await wait(await self.writeContract({ address: open, abi: erc20Abi, functionName: 'approve', args: [rewards, need] }))
  await wait(await self.writeContract({ address: rewards, abi: rewardsAbi, functionName: 'depositBond', args: [need] }))
  return attestor.address
}
