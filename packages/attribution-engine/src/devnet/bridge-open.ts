import { type Address, createPublicClient, createWalletClient, erc20Abi, type Hex, http, parseAbi } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { AttributionError } from '../errors.js'
import { type DevnetFile, devnetChains } from './devnet-file.js'

const l1BridgeAbi = parseAbi([
  'function depositERC20To(address _l1Token, address _l2Token, address _to, uint256 _amount, uint32 _minGasLimit, bytes _extraData)',
])

/** The deposit did not show up on L2 in time (sequencer not following L1, or the deposit reverted on L2). */
export class BridgeTimeoutError extends AttributionError {
  override name = 'BridgeTimeoutError'
}

/**
 * Moves OPEN from an L1 holder to `to` on L2 through the standard bridge (approve + L1StandardBridge
 * depositERC20To), then waits until the L2 OPEN balance has grown by `amount`. Returns the L1 tx hash.
 */
export async function bridgeOpenToL2(args: {
  devnet: DevnetFile
  /** L1 key holding OPEN (the devnet deployer holds the supply) */
  fromKey: Hex
  to: Address
  amount: bigint
  timeoutMs?: number
  /** stops waiting for the L2 credit (the service is stopping) */
  signal?: AbortSignal
}): Promise<Hex> {
  const { devnet, to, amount } = args
  const chains = devnetChains(devnet)
  const account = privateKeyToAccount(args.fromKey)
  const l1 = createPublicClient({ chain: chains.l1, transport: http(devnet.l1.rpc), pollingInterval: 250 })
  const l2 = createPublicClient({ chain: chains.l2, transport: http(devnet.l2.rpc), pollingInterval: 250 })
  const wallet = createWalletClient({ account, chain: chains.l1, transport: http(devnet.l1.rpc) })
  const { OPEN: l1Open, L1StandardBridge: bridge } = devnet.contracts.l1
  const l2Open = devnet.contracts.l2.OPEN
  const before = await l2.readContract({ address: l2Open, abi: erc20Abi, functionName: 'balanceOf', args: [to] })
  const approve = await wallet.writeContract({
    address: l1Open,
    abi: erc20Abi,
    functionName: 'approve',
    args: [bridge, amount],
  })
  await l1.waitForTransactionReceipt({ hash: approve })
  const deposit = await wallet.writeContract({
    address: bridge,
    abi: l1BridgeAbi,
    functionName: 'depositERC20To',
    args: [l1Open, l2Open, to, amount, 200_000, '0x'],
  })
  const receipt = await l1.waitForTransactionReceipt({ hash: deposit })
  if (receipt.status !== 'success') throw new BridgeTimeoutError('the L1 deposit reverted', { txHash: deposit })
  const deadline = Date.now() + (args.timeoutMs ?? 300_000)
  while (Date.now() < deadline) {
    args.signal?.throwIfAborted()
    const now = await l2.readContract({ address: l2Open, abi: erc20Abi, functionName: 'balanceOf', args: [to] })
    if (now >= before + amount) return deposit
    await new Promise((r) => setTimeout(r, 500))
  }
  // how far the L2 lags: a sequencer behind wall-clock time adopts the deposit's L1 origin late
  const head = await l2.getBlock({ blockTag: 'latest' })
  throw new BridgeTimeoutError('the OPEN deposit did not arrive on L2', {
    txHash: deposit,
    l1Block: receipt.blockNumber.toString(),
    to,
    amount: String(amount),
    l2Head: head.number.toString(),
    l2LagSeconds: Math.round(Date.now() / 1000) - Number(head.timestamp),
  })
}
