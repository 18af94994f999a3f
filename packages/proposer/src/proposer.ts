import { type LoopStats, PollLoop } from '@opl/service-kit'
import type { TxManager } from '@opl/txmgr'
import type { Logger } from 'pino'
import { type Address, encodeFunctionData, type Hex, type PublicClient, parseEventLogs, zeroHash } from 'viem'
import { l2OutputOracleAbi } from './abis.js'
import { OutputMismatchError, ProposalFailedError } from './errors.js'
import type { ProposerMetrics } from './metrics.js'
import type { RollupRpcClient, SyncStatus } from './rollup-rpc.js'
import { verifyOutput } from './verify-output.js'

/** What one pass of the loop did. */
export type ProposerStep =
  | { kind: 'proposed'; l2BlockNumber: bigint; outputRoot: Hex; l2OutputIndex: bigint; l1TxHash: Hex }
  | { kind: 'waiting'; reason: 'l2-not-final' | 'l1-time' | 'tx-in-flight' | 'l1-reorg'; next: bigint }

export type ProposerOptions = {
  l1: PublicClient
  l2: PublicClient
  rollup: RollupRpcClient
  txmgr: TxManager
  oracle: Address
  allowNonFinalized: boolean
  pollIntervalMs: number
  log: Logger
  metrics: ProposerMetrics
}

export type ProposerStats = LoopStats & { proposals: number }

/** blockhash() sees only the last 256 L1 blocks; an older anchor would make proposeL2Output revert. */
const BLOCKHASH_WINDOW = 256n

/**
 * op-proposer's driver (specs `proposals.md`): read `nextBlockNumber()`, wait until the rollup node's finalized (or
 * safe) head reaches it, fetch `optimism_outputAtBlock(next)`, check it against the execution client, post
 * `proposeL2Output` through the shared tx manager. Stateless: the oracle is the record of what was posted, so a
 * restart resumes from `nextBlockNumber()`.
 */
export class Proposer {
  private proposals = 0
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

  /** One pass: proposes at most one output. */
  async step(): Promise<ProposerStep> {
    const { l1, rollup, oracle, metrics, log } = this.options
    const next = await l1.readContract({ address: oracle, abi: l2OutputOracleAbi, functionName: 'nextBlockNumber' })
    metrics.nextBlock.set(Number(next))
    // A proposal of ours still in the mempool (sent before a restart) would make a second one for the same block
    // revert on inclusion: wait until the account has nothing pending.
    if (await this.options.txmgr.hasPendingOnChain()) return { kind: 'waiting', reason: 'tx-in-flight', next }
    const status = await rollup.syncStatus()
    const head = this.options.allowNonFinalized ? status.safe_l2 : status.finalized_l2
    if (head.number < next) return { kind: 'waiting', reason: 'l2-not-final', next }
    // The oracle refuses outputs whose L2 time is not yet in the L1 past.
    const [l2Time, l1Head] = await Promise.all([
      l1.readContract({ address: oracle, abi: l2OutputOracleAbi, functionName: 'computeL2Timestamp', args: [next] }),
      l1.getBlock({ blockTag: 'latest' }),
    ])
    if (l2Time >= l1Head.timestamp) return { kind: 'waiting', reason: 'l1-time', next }
    const anchor = await this.l1Anchor(status, l1Head.number)
    if (!anchor) return { kind: 'waiting', reason: 'l1-reorg', next }

    const output = await rollup.outputAtBlock(next)
    if (output.blockRef.number !== next)
      throw new OutputMismatchError('rollup node answered for another block', { next, got: output.blockRef.number })
    const outputRoot = await verifyOutput(this.options.l2, output)

    const { receipt } = await this.options.txmgr.send({
      to: oracle,
      data: encodeFunctionData({
        abi: l2OutputOracleAbi,
        functionName: 'proposeL2Output',
        args: [outputRoot, next, anchor.hash, anchor.number],
      }),
    })
    const [event] = parseEventLogs({ abi: l2OutputOracleAbi, eventName: 'OutputProposed', logs: receipt.logs })
    if (receipt.status !== 'success' || !event)
      throw new ProposalFailedError('proposeL2Output did not emit OutputProposed', {
        hash: receipt.transactionHash,
        status: receipt.status,
      })
    this.proposals++
    metrics.proposals.inc()
    metrics.latestProposed.set(Number(next))
    log.info(
      {
        l2BlockNumber: Number(next),
        outputRoot,
        l2OutputIndex: Number(event.args.l2OutputIndex),
        l1Anchor: Number(anchor.number),
        tx: receipt.transactionHash,
      },
      'output proposed',
    )
    return {
      kind: 'proposed',
      l2BlockNumber: next,
      outputRoot,
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
