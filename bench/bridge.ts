/**
 * Bridge latency on the devnet, flow by flow, several rounds on one devnet (the bridge tests' timing: L1 and L2 blocks
 * 1 s, submission interval 2, finalization period 2 s; the devnet's proposer and relayer relaying every withdrawal):
 * - ETH `depositETH` and OPEN `depositERC20` on L1 → balance credited on L2;
 * - one ETH withdrawal (`initiateWithdrawal`), one OPEN withdrawal (`L2StandardBridge.withdraw`), and two ETH
 *   withdrawals of two users sent at once → finalized on L1 by the relayer (the portal's `finalizedWithdrawals`),
 *   with where the time went: L2 receipt, L2 block safe, output covering it, proven, finalized.
 * Each figure runs from just before the first tx is sent to the moment the bench sees the outcome (polled every
 * 100 ms). Prints every run, the median, and the load average around each round.
 *
 *   pnpm exec tsx bench/bridge.ts [--rounds 5] [--keep] [-- <extra devnet flags, e.g. --sequencer-l1-confs 1>]
 *
 * --keep leaves the devnet's data dir (services' logs in logs/) and prints its path. Contracts must be compiled
 * (`pnpm build:contracts`, or a first `pnpm devnet`).
 */
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { type Address, type Hex, parseEther } from 'viem'
import { getWithdrawals } from 'viem/op-stack'
import { oracleAbi, portalAbi } from '../packages/bridge-relayer/src/index.js'
import {
  BRIDGE_DEVNET,
  type BridgeDevnet,
  erc20Abi,
  l1BridgeAbi,
  l2BridgeAbi,
  passerAbi,
  startBridgeDevnet,
} from '../test/bridge-fixture.js'
import { median } from './lib/workload.js'

const { values, positionals } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, keep: { type: 'boolean', default: false } },
  allowPositionals: true,
})
const rounds = Number(values.rounds)
const L2_STANDARD_BRIDGE: Address = '0x4200000000000000000000000000000000000010'
const MESSAGE_PASSER: Address = '0x4200000000000000000000000000000000000016'
const POLL_MS = 100
/**
 * The portal's deposit gas market burns L1 gas in proportion to its deposit base fee, which rises after a block that
 * bought deposit gas: an exact estimate taken a block earlier can fall short by inclusion (a depositERC20 estimated
 * at 644,894 gas reverted after 602,206 right after an ETH deposit), so deposits carry a fixed, roomy limit.
 */
const DEPOSIT_GAS = 1_000_000n
/** Bound on every wait: far above any figure seen, so a stuck flow ends the bench instead of hanging it. */
const MAX_WAIT_MS = 300_000

const WITHDRAWAL_PHASES = ['l2 receipt', 'safe', 'output', 'proven', 'finalized'] as const
type Phase = (typeof WITHDRAWAL_PHASES)[number]
type Sample = { total: number; phases?: Partial<Record<Phase, number>> }
const samples = new Map<string, Sample[]>()
const loads: string[] = []
const record = (flow: string, sample: Sample) => samples.set(flow, [...(samples.get(flow) ?? []), sample])
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const load = () => loadavg()[0]!.toFixed(1)

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = performance.now() + MAX_WAIT_MS
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (performance.now() > deadline) throw new Error('bench: a flow did not complete within 300 s')
    await sleep(POLL_MS)
  }
}

const net: BridgeDevnet = await startBridgeDevnet({ args: positionals, keep: values.keep })
const { contracts, rollupRpc } = net.devnet.json
const user = (i: number) => net.users[i]!.address

async function safeL2(): Promise<number> {
  const res = await fetch(rollupRpc!, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'optimism_syncStatus', params: [] }),
  })
  return ((await res.json()) as { result: { safe_l2: { number: number } } }).result.safe_l2.number
}

async function deposit(flow: string, send: () => Promise<Hex>, credited: () => Promise<boolean>) {
  const t0 = performance.now()
  const receipt = await net.l1.waitForTransactionReceipt({ hash: await send(), pollingInterval: POLL_MS })
  if (receipt.status !== 'success') throw new Error(`bench: ${flow}: L1 tx ${receipt.transactionHash} reverted`)
  await until(credited, (ok) => ok)
  record(flow, { total: performance.now() - t0 })
}

async function ethDeposit() {
  const before = await net.l2.getBalance({ address: user(0) })
  await deposit(
    'ETH depositETH → L2 credit',
    () =>
      net.wallet(0, 'l1').writeContract({
        address: contracts.l1.L1StandardBridge!,
        abi: l1BridgeAbi,
        functionName: 'depositETH',
        args: [200_000, '0x'],
        value: parseEther('0.01'),
        gas: DEPOSIT_GAS,
      }),
    async () => (await net.l2.getBalance({ address: user(0) })) > before,
  )
}

const openL2 = (address: Address) =>
  net.l2.readContract({ address: contracts.l2.OPEN!, abi: erc20Abi, functionName: 'balanceOf', args: [address] })

async function openDeposit() {
  const before = await openL2(user(1))
  await deposit(
    'OPEN depositERC20 → L2 credit',
    () =>
      net.wallet(1, 'l1').writeContract({
        address: contracts.l1.L1StandardBridge!,
        abi: l1BridgeAbi,
        functionName: 'depositERC20',
        args: [contracts.l1.OPEN!, contracts.l2.OPEN!, parseEther('1'), 200_000, '0x'],
        gas: DEPOSIT_GAS,
      }),
    async () => (await openL2(user(1))) > before,
  )
}

/** Sends the withdrawals at once, then records when each phase was first seen for all of them. */
async function withdrawals(flow: string, sends: (() => Promise<Hex>)[]) {
  const t0 = performance.now()
  const hashes = await Promise.all(sends.map((send) => send()))
  const receipts = await Promise.all(
    hashes.map((hash) => net.l2.waitForTransactionReceipt({ hash, pollingInterval: POLL_MS })),
  )
  for (const r of receipts)
    if (r.status !== 'success') throw new Error(`bench: ${flow}: L2 tx ${r.transactionHash} reverted`)
  const seen: Partial<Record<Phase, number>> = { 'l2 receipt': performance.now() - t0 }
  const block = receipts.reduce((max, r) => (r.blockNumber > max ? r.blockNumber : max), 0n)
  const ids = receipts.flatMap((r) => getWithdrawals(r).map((w) => w.withdrawalHash))
  const { OptimismPortal: portal, L2OutputOracle: oracle } = contracts.l1
  const checks: Record<Exclude<Phase, 'l2 receipt'>, () => Promise<boolean>> = {
    safe: async () => BigInt(await safeL2()) >= block,
    output: async () =>
      (await net.l1.readContract({ address: oracle!, abi: oracleAbi, functionName: 'latestBlockNumber' })) >= block,
    proven: async () => {
      const proven = await Promise.all(
        ids.map((id) =>
          net.l1.readContract({ address: portal!, abi: portalAbi, functionName: 'provenWithdrawals', args: [id] }),
        ),
      )
      return proven.every(([, timestamp]) => timestamp > 0n)
    },
    finalized: async () => {
      const done = await Promise.all(
        ids.map((id) =>
          net.l1.readContract({ address: portal!, abi: portalAbi, functionName: 'finalizedWithdrawals', args: [id] }),
        ),
      )
      return done.every(Boolean)
    },
  }
  await until(
    async () => {
      const open = (Object.keys(checks) as (keyof typeof checks)[]).filter((p) => seen[p] === undefined)
      const results = await Promise.all(open.map((p) => checks[p]()))
      const now = performance.now() - t0
      open.forEach((p, i) => {
        if (results[i]) seen[p] = now
      })
      return seen.finalized !== undefined
    },
    (done) => done,
  )
  record(flow, { total: seen.finalized!, phases: seen })
}

const ethWithdrawal = (i: number) => () =>
  net.wallet(i, 'l2').writeContract({
    address: MESSAGE_PASSER,
    abi: passerAbi,
    functionName: 'initiateWithdrawal',
    args: [user(i), 100_000n, '0x'],
    value: parseEther('0.001'),
  })

const openWithdrawal = () =>
  net.wallet(1, 'l2').writeContract({
    address: L2_STANDARD_BRIDGE,
    abi: l2BridgeAbi,
    functionName: 'withdraw',
    args: [contracts.l2.OPEN!, parseEther('0.5'), 200_000, '0x'],
  })

/**
 * The proposer posts one output (`submissionInterval` L2 blocks) per L1 block, so after start it works through the L2
 * blocks made before it ran, gaining `submissionInterval - 1` blocks a second; a withdrawal made meanwhile waits for
 * it. Measured on its own, so the rounds show the steady state.
 */
async function proposerCatchUp(): Promise<{ behind: bigint; ms: number }> {
  const t0 = performance.now()
  const oracle = contracts.l1.L2OutputOracle!
  const latest = () => net.l1.readContract({ address: oracle, abi: oracleAbi, functionName: 'latestBlockNumber' })
  const behind = BigInt(await safeL2()) - (await latest())
  const interval = BigInt(BRIDGE_DEVNET.submissionInterval)
  await until(
    async () => BigInt(await safeL2()) - (await latest()) <= 2n * interval,
    (caughtUp) => caughtUp,
  )
  return { behind, ms: performance.now() - t0 }
}

let catchUp: { behind: bigint; ms: number } | undefined
try {
  catchUp = await proposerCatchUp()
  // User 1 gets OPEN on L1 and lets the bridge take it, once.
  const deployer = net.wallet(net.devnet.json.accounts.deployer.privateKey, 'l1')
  const transfer = await deployer.writeContract({
    address: contracts.l1.OPEN!,
    abi: erc20Abi,
    functionName: 'transfer',
    args: [user(1), parseEther('1000')],
  })
  await net.l1.waitForTransactionReceipt({ hash: transfer })
  const approve = await net.wallet(1, 'l1').writeContract({
    address: contracts.l1.OPEN!,
    abi: erc20Abi,
    functionName: 'approve',
    args: [contracts.l1.L1StandardBridge!, 2n ** 255n],
  })
  await net.l1.waitForTransactionReceipt({ hash: approve })

  for (let round = 1; round <= rounds; round++) {
    const before = load()
    await ethDeposit()
    await openDeposit()
    await withdrawals('ETH withdrawal → L1 finalized (relayer)', [ethWithdrawal(2)])
    await withdrawals('OPEN withdrawal → L1 finalized (relayer)', [openWithdrawal])
    await withdrawals('2 ETH withdrawals at once → both L1 finalized (relayer)', [ethWithdrawal(3), ethWithdrawal(4)])
    loads.push(`${before}→${load()}`)
    console.log(`round ${round}/${rounds} done (load ${loads.at(-1)})`)
  }
} finally {
  await net.stop()
  if (values.keep) console.log(`devnet data dir kept: ${net.devnet.dataDir}`)
}

const s = (ms: number) => (ms / 1000).toFixed(1)
const t = BRIDGE_DEVNET
console.log(
  `\nbridge latency, ${rounds} rounds (L1/L2 block ${t.l1BlockTime}/${t.l2BlockTime} s, submission interval ` +
    `${t.submissionInterval}, finalization period ${t.finalizationPeriod} s${positionals.length ? `, ${positionals.join(' ')}` : ''}); ` +
    `1-min load average per round: ${loads.join(', ')}\n`,
)
console.log(
  `proposer at ready: ${catchUp!.behind} L2 blocks behind the safe head; within ${2 * t.submissionInterval} blocks ` +
    `after ${s(catchUp!.ms)} s\n`,
)
console.log('| flow | runs (s) | median (s) |')
console.log('|---|---|---|')
for (const [flow, list] of samples)
  console.log(`| ${flow} | ${list.map((x) => s(x.total)).join(', ')} | ${s(median(list.map((x) => x.total)))} |`)
console.log('\nwithdrawals, median time from send at which each phase was first seen (s):\n')
console.log(`| flow | ${WITHDRAWAL_PHASES.join(' | ')} |`)
console.log(`|---|${WITHDRAWAL_PHASES.map(() => '---').join('|')}|`)
for (const [flow, list] of samples) {
  if (!list[0]?.phases) continue
  const cells = WITHDRAWAL_PHASES.map((p) => s(median(list.map((x) => x.phases![p] ?? Number.NaN))))
  console.log(`| ${flow} | ${cells.join(' | ')} |`)
}
