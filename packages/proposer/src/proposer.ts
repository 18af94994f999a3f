import { type LoopStats, PollLoop } from '@opl/service-kit'
import type { TxManager } from '@opl/txmgr'
import type { Logger } from 'pino'
import {
  type Address,
  encodeFunctionData,
  type Hex,
  type PublicClient,
  parseEventLogs,
  type TransactionReceipt,
  zeroHash,
} from 'viem'
import { l2OutputOracleAbi } from './abis.js'
import { OutputMismatchError, ProposalFailedError } from './errors.js'
import type { ProposerMetrics } from './metrics.js'
import type { RollupRpcClient, SyncStatus } from './rollup-rpc.js'
import { verifyOutput } from './verify-output.js'

/** What one pass of the loop did. */
export type Proposal = { l2BlockNumber: bigint; outputRoot: Hex; l2OutputIndex: bigint; l1TxHash: Hex }

/** What one pass of the loop did: `proposed` names the newest output posted and lists every one (oldest first). */
export type ProposerStep =
  | ({ kind: 'proposed'; proposals: Proposal[] } & Proposal)
  | { kind: 'waiting'; reason: 'l2-not-final' | 'l1-time' | 'tx-in-flight' | 'l1-reorg'; next: bigint }

export type ProposerOptions = {
  l1: PublicClient
  l2: PublicClient
  rollup: RollupRpcClient
  txmgr: TxManager
  oracle: Address
  allowNonFinalized: boolean
  /** consecutive outputs posted in one pass when behind (1 = op-proposer) */
  maxProposalsPerStep?: number
  pollIntervalMs: number
  log: Logger
  metrics: ProposerMetrics
}

export type ProposerStats = LoopStats & { proposals: number }

/** blockhash() sees only the last 256 L1 blocks; an older anchor would make proposeL2Output revert. */
const BLOCKHASH_WINDOW = 256n
/**
 * Gas limit of the proposals after the first in a pass, over the first's estimate: they cannot be estimated before
 * the ones ahead of them are mined (the oracle would refuse the block number), and each costs the same.
 */
const FOLLOWER_GAS_MARGIN = 3n

/**
 * op-proposer's driver (specs `proposals.md`): read `nextBlockNumber()`, wait until the rollup node's finalized (or
 * safe) head reaches it, fetch `optimism_outputAtBlock(next)`, check it against the execution client, post
 * `proposeL2Output` through the shared tx manager. Stateless: the oracle is the record of what was posted, so a
 * restart resumes from `nextBlockNumber()`.
 */
export class Proposer {
  private proposals = 0
  private oracleSpacing: { interval: bigint; blockTime: bigint } | undefined
  private readonly loop: PollLoop

  constructor(private readonly options: ProposerOptions) {
    // Back to back while behind (a proposal was just made), a poll interval otherwise.
    this.loop = new PollLoop({
      step: async () => (await this.step()).kind === 'proposed',
      intervalMs: options.pollIntervalMs,
      onError: (kind, error) => {
        options.metrics.errors.inc({ kind })
        options.log.error({ err: error }, 'proposer step failed')
      },
    })
  }

  get stats(): ProposerStats {
    return { ...this.loop.stats, proposals: this.proposals }
  }

  /** `/healthz`: the loop's health plus the proposal count. */
  health() {
    return this.loop.health({ proposals: this.proposals })
  }

  start(): void {
    this.loop.start()
  }

  stop(): Promise<void> {
    return this.loop.stop()
  }

  /**
   * One pass: proposes the output at `nextBlockNumber()` and, when the safe/finalized head and L1 time allow, up to
   * `maxProposalsPerStep - 1` more at the following submission intervals, sent together in nonce order.
   */
  async step(): Promise<ProposerStep> {
    const { l1, rollup, oracle } = this.options
    const next = await l1.readContract({ address: oracle, abi: l2OutputOracleAbi, functionName: 'nextBlockNumber' })
    this.options.metrics.nextBlock.set(Number(next))
    // A proposal of ours still in the mempool (sent before a restart) would make a second one for the same block
    // revert on inclusion: wait until the account has nothing pending.
    if (await this.options.txmgr.hasPendingOnChain()) return { kind: 'waiting', reason: 'tx-in-flight', next }
    const status = await rollup.syncStatus()
    const head = this.options.allowNonFinalized ? status.safe_l2 : status.finalized_l2
    if (head.number < next) return { kind: 'waiting', reason: 'l2-not-final', next }
    const l1Head = await l1.getBlock({ blockTag: 'latest' })
    const due = await this.dueBlocks(next, head.number, l1Head.timestamp)
    if (due.length === 0) return { kind: 'waiting', reason: 'l1-time', next }
    const anchor = await this.l1Anchor(status, l1Head.number)
    if (!anchor) return { kind: 'waiting', reason: 'l1-reorg', next }

    const calls: Hex[] = []
    for (const number of due) {
      const output = await rollup.outputAtBlock(number)
      if (output.blockRef.number !== number)
        throw new OutputMismatchError('rollup node answered for another block', {
          next: number,
          got: output.blockRef.number,
        })
      const outputRoot = await verifyOutput(this.options.l2, output)
      calls.push(
        encodeFunctionData({
          abi: l2OutputOracleAbi,
          functionName: 'proposeL2Output',
          args: [outputRoot, number, anchor.hash, anchor.number],
        }),
      )
    }
    const gasLimit =
      calls.length > 1
        ? ((await l1.estimateGas({ account: this.options.txmgr.address, to: oracle, data: calls[0]! })) *
            FOLLOWER_GAS_MARGIN) /
          2n
        : undefined
    // started together: the tx manager hands out nonces (and broadcasts) in call order, so the oracle sees them in order
    const sent = await Promise.allSettled(calls.map((data) => this.options.txmgr.send({ to: oracle, data, gasLimit })))
    const proposals: Proposal[] = []
    for (const [i, outcome] of sent.entries()) {
      // the ones behind a failed proposal revert on chain (wrong block number): the next pass re-reads the oracle
      if (outcome.status === 'rejected') throw outcome.reason
      proposals.push(this.recordProposal(due[i]!, anchor.number, outcome.value))
    }
    const newest = proposals.at(-1)!
    return { kind: 'proposed', ...newest, proposals }
  }

  /** `next` and the following submission intervals up to `head`, while their L2 time is in the L1 past. */
  private async dueBlocks(next: bigint, head: bigint, l1Time: bigint): Promise<bigint[]> {
    const { l1, oracle } = this.options
    const max = BigInt(this.options.maxProposalsPerStep ?? 1)
    const firstTime = await l1.readContract({
      address: oracle,
      abi: l2OutputOracleAbi,
      functionName: 'computeL2Timestamp',
      args: [next],
    })
    const { interval, blockTime } = await this.spacing()
    const due: bigint[] = []
    for (let number = next; number <= head && BigInt(due.length) < max; number += interval) {
      // The oracle refuses outputs whose L2 time is not yet in the L1 past.
      if (firstTime + (number - next) * blockTime >= l1Time) break
      due.push(number)
    }
    return due
  }

  /** The oracle's submission interval and L2 block time: immutables, read once (computeL2Timestamp grows by the latter). */
  private async spacing(): Promise<{ interval: bigint; blockTime: bigint }> {
    const { l1, oracle } = this.options
    if (!this.oracleSpacing) {
      const [interval, blockTime] = await Promise.all([
        l1.readContract({ address: oracle, abi: l2OutputOracleAbi, functionName: 'submissionInterval' }),
        l1.readContract({ address: oracle, abi: l2OutputOracleAbi, functionName: 'l2BlockTime' }),
      ])
      this.oracleSpacing = { interval, blockTime }
    }
    return this.oracleSpacing
  }

  private recordProposal(
    l2BlockNumber: bigint,
    l1Anchor: bigint,
    { receipt }: { receipt: TransactionReceipt },
  ): Proposal {
    const [event] = parseEventLogs({ abi: l2OutputOracleAbi, eventName: 'OutputProposed', logs: receipt.logs })
    if (receipt.status !== 'success' || !event)
      throw new ProposalFailedError('proposeL2Output did not emit OutputProposed', {
        hash: receipt.transactionHash,
        status: receipt.status,
      })
    const { metrics, log } = this.options
    this.proposals++
    metrics.proposals.inc()
    metrics.latestProposed.set(Number(l2BlockNumber))
    log.info(
      {
        l2BlockNumber: Number(l2BlockNumber),
        outputRoot: event.args.outputRoot,
        l2OutputIndex: Number(event.args.l2OutputIndex),
        l1Anchor: Number(l1Anchor),
        tx: receipt.transactionHash,
      },
      'output proposed',
    )
    return {
      l2BlockNumber,
      outputRoot: event.args.outputRoot,
      l2OutputIndex: event.args.l2OutputIndex,
      l1TxHash: receipt.transactionHash,
    }
  }

  /**
   * The L1 block the proposal commits to: the rollup node's current L1 when it is still canonical and within
   * blockhash() reach; zero (the oracle skips the check) when the node reports no L1 view.
   */
  private async l1Anchor(status: SyncStatus, l1Head: bigint): Promise<{ hash: Hex; number: bigint } | undefined> {
    const current = status.current_l1
    if (current.hash === zeroHash || l1Head - current.number >= BLOCKHASH_WINDOW) return { hash: zeroHash, number: 0n }
    const canonical = await this.options.l1.getBlock({ blockNumber: current.number })
    return canonical.hash === current.hash ? { hash: current.hash, number: current.number } : undefined
  }
}
