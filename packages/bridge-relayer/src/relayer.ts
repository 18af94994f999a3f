import { hashOutputRootProof } from '@opl/protocol'
import { type LoopStats, PollLoop } from '@opl/service-kit'
import type { TxManager } from '@opl/txmgr'
import type { Logger } from 'pino'
import { type Address, encodeFunctionData, type Hex, type PublicClient, parseEventLogs } from 'viem'
import { buildProveWithdrawal } from 'viem/op-stack'
import { oracleAbi, portalAbi } from './abis.js'
import type { RelayerMetrics } from './metrics.js'
import { depositKey, type RelayerState, TERMINAL, type WithdrawalRecord, type WithdrawalStatus } from './records.js'
import type { JsonStore } from './store.js'
import { depositOutcome, scanDeposits } from './watch-deposits.js'
import { scanWithdrawals } from './watch-withdrawals.js'

export type RelayerOptions = {
  l1: PublicClient
  l2: PublicClient
  /** Absent: track only, send nothing. */
  txmgr?: TxManager
  store: JsonStore
  portal: Address
  oracle: Address
  /** `all`, or the L2 senders whose withdrawals this relayer proves and finalizes. */
  relay: 'all' | readonly Address[]
  maxLogRange: bigint
  /** Withdrawals advanced side by side in one pass (L1 reads, and prove/finalize txs in flight at once). */
  maxConcurrent: number
  pollIntervalMs: number
  log: Logger
  metrics: RelayerMetrics
}

export type RelayerStats = LoopStats & { proven: number; finalized: number }

/** Portal reverts that a later try can clear (time has not yet passed); any other revert is final. */
const RETRYABLE = /not matured|has not elapsed|has not been proven yet|output proposal has not been finalized/i

/** What one pass reads from L1 once for every withdrawal it looks at. */
type L1View = { latestOutputBlock: bigint; l1Time: bigint }

/**
 * Watches L1 deposits and L2 withdrawals and drives each withdrawal from `waiting-for-output` to `finalized`.
 * Every status comes from L1 (the portal's `provenWithdrawals` / `finalizedWithdrawals`, the oracle's outputs)
 * before any tx is sent. Several withdrawals are proven and finalized at once (their txs share the tx manager's
 * nonces), never two txs for one withdrawal: a withdrawal with a tx in flight is skipped until that tx is confirmed
 * and L1 shows its effect. Txs this process cannot account for — sent before a restart, or by a send that failed
 * after it may have been broadcast — are waited out: nothing new is sent while the account has a pending tx on L1
 * and no send of ours is in flight, so a restart, or another prover, never leads to a second prove or finalize.
 */
export class Relayer {
  private readonly counts = { proven: 0, finalized: 0 }
  private readonly loop: PollLoop
  private finalizationPeriod: bigint | undefined
  /** Sends in flight, by withdrawal hash: at most one per withdrawal. */
  private readonly sending = new Map<Hex, Promise<void>>()
  /** False until L1 has shown no pending tx of ours unaccounted for: at start, and after a send failed mid-way. */
  private accounted = false

  constructor(private readonly options: RelayerOptions) {
    this.loop = new PollLoop({
      step: async () => {
        await this.step()
        return false
      },
      intervalMs: options.pollIntervalMs,
      onError: (kind, error) => {
        options.metrics.errors.inc({ kind })
        options.log.error({ err: error }, 'relayer step failed')
      },
    })
  }

  get stats(): RelayerStats {
    return { ...this.loop.stats, ...this.counts }
  }

  /** `/healthz`: the loop's health plus what this relayer proved and finalized. */
  health() {
    return this.loop.health({ ...this.counts, sending: this.sending.size })
  }

  get state(): Readonly<RelayerState> {
    return this.options.store.state
  }

  /**
   * One pass: scans new L1/L2 blocks, updates deposits, and advances every open withdrawal without a tx in flight by
   * at most one tx; the txs are sent in the background (`settled()` waits for them).
   */
  async step(): Promise<void> {
    await this.scanL1()
    await this.scanL2()
    await this.updateDeposits()
    const open = Object.values(this.state.withdrawals).filter(
      (w) => !TERMINAL.has(w.status) && !this.sending.has(w.withdrawalHash),
    )
    if (open.length === 0) return
    const view = await this.readL1View()
    const maySend = await this.maySend()
    const width = this.options.maxConcurrent
    for (let i = 0; i < open.length; i += width)
      await Promise.all(open.slice(i, i + width).map((record) => this.advance(record, view, maySend)))
  }

  /** Resolves once every prove/finalize tx started so far is confirmed (or failed and logged). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.sending.values()])
  }

  start(): void {
    this.loop.start()
  }

  /** Stops the loop and waits for the txs in flight, so the state file records what they did. */
  async stop(): Promise<void> {
    await this.loop.stop()
    await this.settled()
  }

  private async scanL1(): Promise<void> {
    const { l1, portal, store, maxLogRange } = this.options
    const head = await l1.getBlockNumber({ cacheTime: 0 })
    const from = BigInt(this.state.l1Cursor)
    if (from > head) return
    const to = min(head, from + maxLogRange - 1n)
    const found = await scanDeposits(l1, portal, { from, to })
    await store.update((s) => {
      for (const d of found) s.deposits[depositKey(d.l1TxHash, d.logIndex)] ??= d
      s.l1Cursor = (to + 1n).toString()
    })
    for (const d of found) this.options.log.info({ l1Tx: d.l1TxHash, l2Tx: d.l2TxHash, to: d.to }, 'deposit seen')
  }

  private async scanL2(): Promise<void> {
    const { l2, store, maxLogRange, relay } = this.options
    const head = await l2.getBlockNumber({ cacheTime: 0 })
    const from = BigInt(this.state.l2Cursor)
    if (from > head) return
    const to = min(head, from + maxLogRange - 1n)
    const listed = relay === 'all' ? undefined : new Set(relay.map((a) => a.toLowerCase()))
    const relays = (from: Address, sender: Address) =>
      !listed || listed.has(from.toLowerCase()) || listed.has(sender.toLowerCase())
    const found = await scanWithdrawals(l2, { from, to }, relays)
    await store.update((s) => {
      for (const w of found) s.withdrawals[w.withdrawalHash] ??= w
      s.l2Cursor = (to + 1n).toString()
    })
    for (const w of found)
      this.options.log.info({ hash: w.withdrawalHash, l2Tx: w.l2TxHash, relayed: w.relayed }, 'withdrawal seen')
  }

  private async updateDeposits(): Promise<void> {
    for (const [key, deposit] of Object.entries(this.state.deposits)) {
      if (deposit.status !== 'pending') continue
      const outcome = await depositOutcome(this.options.l2, deposit)
      if (!outcome) continue
      await this.options.store.update((s) => {
        s.deposits[key] = { ...s.deposits[key]!, ...outcome, updatedAt: Date.now() }
      })
      this.options.log.info({ l1Tx: deposit.l1TxHash, l2Tx: deposit.l2TxHash, status: outcome.status }, 'deposit done')
    }
  }

  private async readL1View(): Promise<L1View> {
    const { l1, oracle } = this.options
    const [latestOutputBlock, head] = await Promise.all([
      l1.readContract({ address: oracle, abi: oracleAbi, functionName: 'latestBlockNumber' }),
      l1.getBlock({ blockTag: 'latest' }),
    ])
    this.finalizationPeriod ??= await l1.readContract({
      address: oracle,
      abi: oracleAbi,
      functionName: 'FINALIZATION_PERIOD_SECONDS',
    })
    return { latestOutputBlock, l1Time: head.timestamp }
  }

  /** Whether new txs may go out: only when every pending tx of our account on L1 is one this process is tracking. */
  private async maySend(): Promise<boolean> {
    const { txmgr } = this.options
    if (!txmgr) return false
    if (this.accounted) return true
    if (this.sending.size > 0 || (await txmgr.hasPendingOnChain())) return false
    this.accounted = true
    return true
  }

  /** Reads the withdrawal's state from L1, records it, and starts the one tx that moves it on (if we relay it). */
  private async advance(record: WithdrawalRecord, view: L1View, maySend: boolean): Promise<void> {
    const { l1, portal } = this.options
    const hash = record.withdrawalHash
    // No output covers it yet, so nobody can have proven it: the portal need not be asked.
    if (record.status === 'waiting-for-output' && view.latestOutputBlock < BigInt(record.l2BlockNumber)) return
    if (await l1.readContract({ address: portal, abi: portalAbi, functionName: 'finalizedWithdrawals', args: [hash] }))
      return this.set(record, await this.finalizedStatus(hash))
    const [, provenAt, l2OutputIndex] = await l1.readContract({
      address: portal,
      abi: portalAbi,
      functionName: 'provenWithdrawals',
      args: [hash],
    })
    if (provenAt > 0n) {
      // The portal wants block.timestamp > provenAt + period, and gas estimation runs at the latest block's time.
      const mature = view.l1Time > provenAt + this.finalizationPeriod!
      await this.set(record, {
        status: mature ? 'ready-to-finalize' : 'proven',
        l2OutputIndex: l2OutputIndex.toString(),
      })
      if (mature && record.relayed && maySend) this.launch(record, () => this.finalize(record))
      return
    }
    if (view.latestOutputBlock < BigInt(record.l2BlockNumber)) return this.set(record, { status: 'waiting-for-output' })
    await this.set(record, { status: 'ready-to-prove' })
    if (record.relayed && maySend) this.launch(record, () => this.prove(record))
  }

  /**
   * Runs `send` in the background as the withdrawal's one tx in flight. A failure other than a portal refusal may
   * have left a tx on L1 (broadcast, then the send gave up): nothing new goes out until L1 has no pending tx of ours.
   */
  private launch(record: WithdrawalRecord, send: () => Promise<void>): void {
    const hash = record.withdrawalHash
    const run = send()
      .catch((error: unknown) => {
        this.accounted = false
        this.options.metrics.errors.inc({ kind: error instanceof Error ? error.name : 'unknown' })
        this.options.log.error({ err: error, hash }, 'withdrawal tx failed; waiting for L1 before sending again')
      })
      .finally(() => this.sending.delete(hash))
    this.sending.set(hash, run)
  }

  private async prove(record: WithdrawalRecord): Promise<void> {
    const { l1, l2, oracle } = this.options
    const index = await l1.readContract({
      address: oracle,
      abi: oracleAbi,
      functionName: 'getL2OutputIndexAfter',
      args: [BigInt(record.l2BlockNumber)],
    })
    const output = await l1.readContract({
      address: oracle,
      abi: oracleAbi,
      functionName: 'getL2Output',
      args: [index],
    })
    const withdrawal = withdrawalOf(record)
    const built = await buildProveWithdrawal(l2, {
      chain: null,
      output: { ...output, outputIndex: index },
      withdrawal: { ...withdrawal, withdrawalHash: record.withdrawalHash },
    })
    // The L2 state the proof comes from must be the one the oracle holds; otherwise the portal would reject it.
    if (hashOutputRootProof(built.outputRootProof) !== output.outputRoot)
      return this.set(record, {
        status: 'failed',
        error: `L2 state at block ${output.l2BlockNumber} does not hash to output ${index}'s root`,
      })
    const data = encodeFunctionData({
      abi: portalAbi,
      functionName: 'proveWithdrawalTransaction',
      args: [withdrawal, index, built.outputRootProof, built.withdrawalProof],
    })
    const receipt = await this.send(record, data)
    if (!receipt) return
    const [event] = parseEventLogs({ abi: portalAbi, eventName: 'WithdrawalProven', logs: receipt.logs })
    this.counts.proven++
    this.options.metrics.proven.inc()
    await this.set(record, { status: 'proven', l2OutputIndex: index.toString(), proveTxHash: receipt.transactionHash })
    this.options.log.info(
      { hash: record.withdrawalHash, l2OutputIndex: Number(index), tx: receipt.transactionHash, event: !!event },
      'withdrawal proven',
    )
  }

  private async finalize(record: WithdrawalRecord): Promise<void> {
    const data = encodeFunctionData({
      abi: portalAbi,
      functionName: 'finalizeWithdrawalTransaction',
      args: [withdrawalOf(record)],
    })
    const receipt = await this.send(record, data)
    if (!receipt) return
    const [event] = parseEventLogs({ abi: portalAbi, eventName: 'WithdrawalFinalized', logs: receipt.logs })
    const success = event?.args.success === true
    if (success) {
      this.counts.finalized++
      this.options.metrics.finalized.inc()
    }
    await this.set(record, {
      status: success ? 'finalized' : 'failed',
      finalizeTxHash: receipt.transactionHash,
      ...(success ? {} : { error: 'the withdrawal target call failed (WithdrawalFinalized success=false)' }),
    })
    this.options.log.info({ hash: record.withdrawalHash, tx: receipt.transactionHash, success }, 'withdrawal finalized')
  }

  /**
   * Checks the call against the latest L1 state (`eth_call`), then sends it through the tx manager. A portal revert
   * marks the withdrawal failed with the portal's reason unless time can clear it; seen by the call, it costs no
   * nonce (a refusal at gas estimation would leave a nonce gap behind the txs already in flight).
   */
  private async send(record: WithdrawalRecord, data: Hex) {
    const { l1, portal } = this.options
    const txmgr = this.options.txmgr!
    try {
      await l1.call({ account: txmgr.address, to: portal, data })
      const { receipt } = await txmgr.send({ to: portal, data })
      if (receipt.status !== 'success') {
        await this.set(record, { status: 'failed', error: `portal tx ${receipt.transactionHash} reverted` })
        return undefined
      }
      return receipt
    } catch (error) {
      const reason = errorText(error)
      if (!/revert/i.test(reason)) throw error
      await this.set(record, RETRYABLE.test(reason) ? { error: reason } : { status: 'failed', error: reason })
      this.options.log.warn({ hash: record.withdrawalHash, reason }, 'portal refused the withdrawal tx')
      return undefined
    }
  }

  private async finalizedStatus(hash: Hex): Promise<Partial<WithdrawalRecord> & { status: WithdrawalStatus }> {
    const logs = await this.options.l1.getLogs({
      address: this.options.portal,
      event: portalAbi.find((x) => x.type === 'event' && x.name === 'WithdrawalFinalized')!,
      args: { withdrawalHash: hash },
      fromBlock: 0n,
    })
    const event = logs[0] as { args: { success?: boolean }; transactionHash: Hex } | undefined
    if (event?.args.success === false)
      return { status: 'failed', finalizeTxHash: event.transactionHash, error: 'the withdrawal target call failed' }
    return { status: 'finalized', ...(event ? { finalizeTxHash: event.transactionHash } : {}) }
  }

  private async set(record: WithdrawalRecord, change: Partial<WithdrawalRecord>): Promise<void> {
    const current = this.state.withdrawals[record.withdrawalHash]!
    const changed = Object.entries(change).some(([k, v]) => current[k as keyof WithdrawalRecord] !== v)
    if (!changed) return
    await this.options.store.update((s) => {
      s.withdrawals[record.withdrawalHash] = {
        ...s.withdrawals[record.withdrawalHash]!,
        ...change,
        updatedAt: Date.now(),
      }
    })
    Object.assign(record, change)
    if (change.status && change.status !== current.status)
      this.options.log.info(
        { hash: record.withdrawalHash, from: current.status, to: change.status },
        'withdrawal status',
      )
  }
}

function withdrawalOf(record: WithdrawalRecord) {
  const w = record.withdrawal
  return {
    nonce: BigInt(w.nonce),
    sender: w.sender,
    target: w.target,
    value: BigInt(w.value),
    gasLimit: BigInt(w.gasLimit),
    data: w.data,
  }
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const parts = [error.message]
  for (let cause = error.cause, i = 0; cause instanceof Error && i < 8; cause = cause.cause, i++)
    parts.push(cause.message)
  return parts.join(' | ')
}

const min = (a: bigint, b: bigint) => (a < b ? a : b)
