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
  pollIntervalMs: number
  log: Logger
  metrics: RelayerMetrics
}

export type RelayerStats = LoopStats & { proven: number; finalized: number }

/** Portal reverts that a later try can clear (time has not yet passed); any other revert is final. */
const RETRYABLE = /not matured|has not elapsed|has not been proven yet|output proposal has not been finalized/i

/**
 * Watches L1 deposits and L2 withdrawals and drives each withdrawal from `waiting-for-output` to `finalized`.
 * Every status comes from L1 (the portal's `provenWithdrawals` / `finalizedWithdrawals`, the oracle's outputs)
 * before any tx is sent, and nothing is sent while a tx of ours is still pending: a restart, or another prover,
 * never leads to a second prove or finalize.
 */
export class Relayer {
  private readonly counts = { proven: 0, finalized: 0 }
  private readonly loop: PollLoop
  private finalizationPeriod: bigint | undefined

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
    return this.loop.health({ ...this.counts })
  }

  get state(): Readonly<RelayerState> {
    return this.options.store.state
  }

  /** One pass: scans new L1/L2 blocks, updates deposits, advances every open withdrawal by at most one tx. */
  async step(): Promise<void> {
    await this.scanL1()
    await this.scanL2()
    await this.updateDeposits()
    for (const record of Object.values(this.state.withdrawals)) {
      if (TERMINAL.has(record.status)) continue
      await this.advance(record)
    }
  }

  start(): void {
    this.loop.start()
  }

  stop(): Promise<void> {
    return this.loop.stop()
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

  /** Reads the withdrawal's state from L1, records it, and sends the one tx that moves it on (if we relay it). */
  private async advance(record: WithdrawalRecord): Promise<void> {
    const { l1, portal, oracle } = this.options
    const hash = record.withdrawalHash
    if (await l1.readContract({ address: portal, abi: portalAbi, functionName: 'finalizedWithdrawals', args: [hash] }))
      return this.set(record, await this.finalizedStatus(hash))
    const [, provenAt, l2OutputIndex] = await l1.readContract({
      address: portal,
      abi: portalAbi,
      functionName: 'provenWithdrawals',
      args: [hash],
    })
    if (provenAt > 0n) {
      this.finalizationPeriod ??= await l1.readContract({
        address: oracle,
        abi: oracleAbi,
        functionName: 'FINALIZATION_PERIOD_SECONDS',
      })
      const now = (await l1.getBlock({ blockTag: 'latest' })).timestamp
      // The portal wants block.timestamp > provenAt + period, and gas estimation runs at the latest block's time.
      const mature = now > provenAt + this.finalizationPeriod
      await this.set(record, {
        status: mature ? 'ready-to-finalize' : 'proven',
        l2OutputIndex: l2OutputIndex.toString(),
      })
      if (mature && record.relayed) await this.finalize(record)
      return
    }
    const latest = await l1.readContract({ address: oracle, abi: oracleAbi, functionName: 'latestBlockNumber' })
    if (latest < BigInt(record.l2BlockNumber)) return this.set(record, { status: 'waiting-for-output' })
    await this.set(record, { status: 'ready-to-prove' })
    if (record.relayed) await this.prove(record)
  }

  private async prove(record: WithdrawalRecord): Promise<void> {
    const { l1, l2, oracle } = this.options
    if (!this.options.txmgr || (await this.options.txmgr.hasPendingOnChain())) return
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
    if (!this.options.txmgr || (await this.options.txmgr.hasPendingOnChain())) return
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
   * Sends through the tx manager; a portal revert (seen at gas estimation, before anything is broadcast) marks the
   * withdrawal failed with the portal's reason unless time can clear it.
   */
  private async send(record: WithdrawalRecord, data: Hex) {
    try {
      const { receipt } = await this.options.txmgr!.send({ to: this.options.portal, data })
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
