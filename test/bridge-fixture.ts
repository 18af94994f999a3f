/**
 * What the bridge end-to-end tests share: one devnet (our node as L2, proposer + relayer started by the devnet CLI)
 * with a short finalization period and submission interval, viem clients for L1/L2 per funded user, the standard
 * bridge ABIs, and bounded polling.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type Address,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type PublicClient,
  parseAbi,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { WithdrawalRecord } from '../packages/bridge-relayer/src/index.js'
import { type RunningDevnet, startDevnet } from './devnet-harness.js'

/** Devnet timing used by the bridge tests (printed with every figure). */
export const BRIDGE_DEVNET = { l1BlockTime: 1, l2BlockTime: 1, submissionInterval: 2, finalizationPeriod: 2 }

export const LEGACY_ERC20_ETH: Address = '0xDeadDeAddeAddEAddeadDEaDDEAdDeaDDeAD0000'
export const l1BridgeAbi = parseAbi([
  'function depositETH(uint32 _minGasLimit, bytes _extraData) payable',
  'function depositERC20(address _l1Token, address _l2Token, uint256 _amount, uint32 _minGasLimit, bytes _extraData)',
])
export const l2BridgeAbi = parseAbi([
  'function withdraw(address _l2Token, uint256 _amount, uint32 _minGasLimit, bytes _extraData) payable',
])
export const passerAbi = parseAbi([
  'function initiateWithdrawal(address _target, uint256 _gasLimit, bytes _data) payable',
])
export const erc20Abi = parseAbi([
  'function balanceOf(address) view returns (uint256)',
  'function transfer(address, uint256) returns (bool)',
  'function approve(address, uint256) returns (bool)',
  'function nonces(address) view returns (uint256)',
  'function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)',
  'function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)',
])

export type BridgeDevnet = {
  devnet: RunningDevnet
  l1: PublicClient
  l2: PublicClient
  users: { address: Address; privateKey: Hex }[]
  /** A wallet of user `who` (index into `users`) or of a private key, on L1 or L2. */
  wallet(who: number | Hex, layer: 'l1' | 'l2'): ReturnType<typeof walletFor>
  stop(): Promise<void>
}

function walletFor(privateKey: Hex, chainId: number, rpc: string) {
  return createWalletClient({
    account: privateKeyToAccount(privateKey),
    chain: defineChain({
      id: chainId,
      name: `chain ${chainId}`,
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [rpc] } },
    }),
    transport: http(rpc),
  })
}

/**
 * `pnpm devnet --fresh` on free ports with the bridge timing; `relay` limits whose withdrawals its relayer sends,
 * `args` adds devnet flags, `keep` leaves the data dir (with the services' logs) in place after `stop()`.
 */
export async function startBridgeDevnet(
  options: { relay?: string; args?: string[]; keep?: boolean } = {},
): Promise<BridgeDevnet> {
  const { relay = 'all', args = [], keep = false } = options
  const dataDir = await mkdtemp(join(tmpdir(), 'opl-bridge-'))
  const devnet = await startDevnet({
    dataDir,
    args: [
      '--fresh',
      ...['--l1-block-time', String(BRIDGE_DEVNET.l1BlockTime), '--l2-block-time', String(BRIDGE_DEVNET.l2BlockTime)],
      ...['--submission-interval', String(BRIDGE_DEVNET.submissionInterval)],
      ...['--finalization-period', String(BRIDGE_DEVNET.finalizationPeriod), '--relay', relay],
      ...args,
    ],
  })
  const { json } = devnet
  const l1 = createPublicClient({ transport: http(json.l1.rpc), pollingInterval: 100 })
  const l2 = createPublicClient({ transport: http(json.l2.rpc!), pollingInterval: 100 })
  return {
    devnet,
    l1,
    l2,
    users: json.accounts.users,
    wallet: (who, layer) =>
      walletFor(
        typeof who === 'number' ? json.accounts.users[who]!.privateKey : who,
        layer === 'l1' ? json.l1.chainId : json.l2.chainId,
        layer === 'l1' ? json.l1.rpc : json.l2.rpc!,
      ),
    stop: async () => {
      await devnet.stop()
      if (!keep) await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * Per-test limit for the bridge tests: a withdrawal waits for batching, derivation, an output, prove, maturity and
 * finalize: 13–37 s at load 14–20, once 122 s with several devnets sharing the 2 cores.
 */
export const BRIDGE_TEST_TIMEOUT = 300_000

/** Polls `read` every 100 ms until `done` holds, at most `limit` times (bounded by BRIDGE_TEST_TIMEOUT); returns the last value. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, limit = 2800): Promise<T> {
  let value = await read()
  for (let i = 0; i < limit && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 100))
    value = await read()
  }
  return value
}

/** The relayer API's records of one L2 tx's withdrawals (empty while it has not seen the tx). */
export async function relayerWithdrawals(api: string, l2TxHash: Hex): Promise<WithdrawalRecord[]> {
  const res = await fetch(`${api}/v1/withdrawals/${l2TxHash}`)
  return res.status === 200 ? ((await res.json()) as { withdrawals: WithdrawalRecord[] }).withdrawals : []
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
