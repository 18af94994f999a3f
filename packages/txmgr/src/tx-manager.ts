import type { Logger } from 'pino'
import {
  type Address,
  type Hash,
  type Hex,
  keccak256,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
  TransactionReceiptNotFoundError,
} from 'viem'
import { TxManagerClosedError, TxRejectedError, TxSendTimeoutError } from './errors.js'
import { bumpFees, type Fees, suggestFees } from './fees.js'

export type TxCandidate = { to: Address; data: Hex; gasLimit?: bigint; value?: bigint }

export type TxManagerOptions = {
  l1: PublicClient
  account: LocalAccount
  chainId: number
  log: Logger
  /** Blocks on top of (and including) the inclusion block before a send resolves (op-txmgr `num-confirmations`). */
  numConfirmations: number
  /** Re-send with bumped fees when no version was mined for this long (op-txmgr `resubmission-timeout`, 48 s). */
  resubmissionTimeoutMs: number
  /** How often receipts and the head are polled. */
  pollIntervalMs: number
  /** Give up on a send (and free its nonce) after this long. */
  sendTimeoutMs: number
  /** Sends in flight at once; later sends wait their turn (op-batcher `max-pending-tx`, 1). 0 = unlimited. */
  maxPending: number
  /** Percentage every replacement raises tip and fee cap by; geth needs ≥ 10. */
  feeBumpPercent: number
  /** Floor for the priority fee (anvil can suggest 0 on an idle chain). */
  minTipWei: bigint
}

export type SendResult = { receipt: TransactionReceipt; attempts: number; nonce: number }

/** What one send learnt that its caller needs when it fails: the last fees broadcast, a nonce used by another tx. */
type Attempt = { fees: Fees | undefined; nonceTaken: boolean }

/** What geth and anvil answer, by the action they call for. */
const ALREADY_KNOWN = /already known|known transaction|already imported/i
const NONCE_TOO_LOW = /nonce too low|nonce has already been used|oldnonce/i
const UNDERPRICED = /underpriced|replacement transaction|fee too low|max fee per gas less than block base fee/i

/**
 * A small op-txmgr: one account, nonces tracked locally, fee bumping on replacement, resubmission after a timeout,
 * confirmation depth with a reorg re-check, and a bound on sends in flight. Independent of the batcher so the
 * proposer and the relayer share it (`@opl/txmgr`).
 */
export class TxManager {
  private nonce: number | undefined
  private nonceLock: Promise<unknown> = Promise.resolve()
  private inFlight = 0
  private readonly waiting: (() => void)[] = []
  private closed = false
  /** Resolves once the previous nonce's first broadcast is done: first broadcasts go out in nonce order. */
  private broadcastTurn: Promise<void> = Promise.resolve()
  /** Nonces taken by sends still running. */
  private readonly held = new Set<number>()
  private readonly fills = new Set<Promise<void>>()
  private gapFillCount = 0
  /** The last fees broadcast at a nonce given back for reuse: a version may still be pooled, the next send outbids it. */
  private released: { nonce: number; fees: Fees } | undefined

  constructor(private readonly options: TxManagerOptions) {}

  get address(): Address {
    return this.options.account.address
  }

  get pending(): number {
    return this.inFlight
  }

  /** 0-value self-sends made so far to fill the nonce of a tx given up on while later txs waited behind it. */
  get gapFills(): number {
    return this.gapFillCount
  }

  /** Resolves when every gap fill started so far has finished (confirmed, or failed and logged). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.fills])
  }

  /**
   * Whether L1 holds a tx of this account not yet mined (pending nonce > latest nonce) — for example one sent before
   * a restart. Callers whose tx must not exist twice (a proposal, a prove, a finalize) wait while this is true.
   */
  async hasPendingOnChain(): Promise<boolean> {
    const [latest, pending] = await Promise.all([
      this.options.l1.getTransactionCount({ address: this.address, blockTag: 'latest' }),
      this.options.l1.getTransactionCount({ address: this.address, blockTag: 'pending' }),
    ])
    return pending > latest
  }

  /** Sends `candidate` and resolves with its receipt once it has `numConfirmations` confirmations. */
  async send(candidate: TxCandidate): Promise<SendResult> {
    await this.acquire()
    try {
      return await this.sendWithNonce(candidate)
    } finally {
      this.release()
    }
  }

  /** Stops: queued sends reject, in-flight sends stop at their next poll. */
  close(): void {
    this.closed = true
    for (const wake of this.waiting.splice(0)) wake()
  }

  private async sendWithNonce(candidate: TxCandidate): Promise<SendResult> {
    const nonce = await this.takeNonce()
    this.held.add(nonce)
    // Nodes keep a tx whose nonce is ahead of the account's in a side queue (anvil's automine does not mine it until
    // something else triggers a block), so concurrent sends broadcast for the first time strictly in nonce order.
    const myTurn = this.broadcastTurn
    let firstBroadcastDone!: () => void
    this.broadcastTurn = new Promise<void>((resolve) => {
      firstBroadcastDone = resolve
    })
    const attempt: Attempt = {
      fees: this.released?.nonce === nonce ? this.released.fees : undefined,
      nonceTaken: false,
    }
    try {
      const result = await this.sendAt(candidate, nonce, attempt, myTurn, firstBroadcastDone)
      this.held.delete(nonce)
      return result
    } catch (error) {
      firstBroadcastDone()
      this.held.delete(nonce)
      // Someone else's tx took the nonce: our count is stale, re-read it from L1. A closing manager leaves the nonce
      // to the next start, which reads it from L1 too.
      if (attempt.nonceTaken) this.nonce = undefined
      else if (!(error instanceof TxManagerClosedError)) this.releaseNonce(nonce, attempt.fees)
      throw error
    }
  }

  /**
   * Sends `candidate` at `nonce` until a version of it is confirmed: fee bumps on resubmission and on "underpriced",
   * a reorged-out inclusion resubmitted. `attempt` tells the caller the last fees broadcast and whether the nonce was
   * found used by another tx.
   */
  private async sendAt(
    candidate: TxCandidate,
    nonce: number,
    attempt: Attempt,
    myTurn: Promise<void>,
    firstBroadcastDone: () => void,
  ): Promise<SendResult> {
    const { l1, log } = this.options
    const deadline = Date.now() + this.options.sendTimeoutMs
    const hashes: Hash[] = []
    await myTurn
    const gas =
      candidate.gasLimit ??
      (await l1.estimateGas({
        account: this.address,
        to: candidate.to,
        data: candidate.data,
        value: candidate.value ?? 0n,
      }))
    const suggested = await suggestFees(l1, this.options.minTipWei)
    // A replacement of a tx still in the pool must outbid it.
    let fees = attempt.fees ? bumpFees(attempt.fees, suggested, BigInt(this.options.feeBumpPercent)) : suggested
    let attempts = 0
    let lastSentAt = 0
    // Bounded by the deadline: every pass sleeps one poll interval.
    while (Date.now() < deadline) {
      if (this.closed) throw new TxManagerClosedError('tx manager closed', { nonce })
      const mined = await this.findReceipt(hashes)
      if (mined) {
        const confirmed = await this.waitConfirmed(mined, hashes, deadline)
        if (confirmed) return { receipt: confirmed, attempts, nonce }
        // The inclusion block was reorged out: resubmit at once.
        lastSentAt = 0
        continue
      }
      if (Date.now() - lastSentAt >= this.options.resubmissionTimeoutMs || attempts === 0) {
        if (attempts > 0)
          fees = bumpFees(fees, await suggestFees(l1, this.options.minTipWei), BigInt(this.options.feeBumpPercent))
        const outcome = await this.broadcast(candidate, nonce, gas, fees).finally(firstBroadcastDone)
        if (outcome.kind === 'sent') {
          attempt.fees = fees
          if (!hashes.includes(outcome.hash)) hashes.push(outcome.hash)
          attempts++
          lastSentAt = Date.now()
          log.info(
            {
              nonce,
              hash: outcome.hash,
              attempt: attempts,
              maxFeePerGas: fees.maxFeePerGas,
              maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
            },
            'tx sent',
          )
        } else if (outcome.kind === 'underpriced') {
          fees = bumpFees(fees, fees, BigInt(this.options.feeBumpPercent))
          continue
        } else if (outcome.kind === 'nonce-used') {
          // A version of ours may just have been mined (its receipt can lag the nonce); otherwise someone else
          // used the nonce.
          if (await this.awaitOwnReceipt(hashes)) continue
          attempt.nonceTaken = true
          throw new TxRejectedError('nonce already used by another tx', { nonce })
        }
      }
      await sleep(this.options.pollIntervalMs)
    }
    throw new TxSendTimeoutError('no version of the tx was confirmed in time', {
      nonce,
      hashes,
      sendTimeoutMs: this.options.sendTimeoutMs,
    })
  }

  /**
   * A send gave up on `nonce` (rejected, timed out, failed before broadcast). Left unused, the nonce is a gap every
   * later tx of the account waits behind. op-txmgr resets its nonce so the next send takes the freed one (op-batcher
   * re-sends the frame there); we do the same when no later nonce is out. When later txs are already out, waiting for
   * the next send could stall them until they time out too, so the nonce is filled at once with a 0-value self-send
   * of 21,000 gas (op-batcher's `cancelBlockingTx` shape), outbidding any version of the failed tx still pooled.
   */
  private releaseNonce(nonce: number, lastFees: Fees | undefined): void {
    const later = [...this.held].some((n) => n > nonce) || (this.nonce !== undefined && this.nonce > nonce + 1)
    if (!later) {
      if (this.nonce === nonce + 1) {
        this.nonce = nonce
        this.released = lastFees ? { nonce, fees: lastFees } : undefined
      }
      return
    }
    this.gapFillCount++
    const { log } = this.options
    log.warn({ nonce }, 'tx given up on with later nonces out: filling its nonce with a 0-value self-send')
    this.held.add(nonce)
    const attempt: Attempt = { fees: lastFees, nonceTaken: false }
    const fill = this.sendAt(
      { to: this.address, data: '0x', value: 0n, gasLimit: 21_000n },
      nonce,
      attempt,
      Promise.resolve(),
      () => {},
    )
      .then(
        (result) => log.info({ nonce, hash: result.receipt.transactionHash }, 'nonce gap filled'),
        // Nonce used meanwhile (the old version was mined after all): no gap left. Anything else is logged loudly;
        // the later txs then time out and re-read the nonce from L1.
        (error: unknown) =>
          attempt.nonceTaken
            ? log.info({ nonce }, 'nonce gap closed by another tx')
            : log.error({ nonce, err: error }, 'nonce gap fill failed'),
      )
      .finally(() => {
        this.held.delete(nonce)
        this.fills.delete(fill)
      })
    this.fills.add(fill)
  }

  private async broadcast(
    candidate: TxCandidate,
    nonce: number,
    gas: bigint,
    fees: Fees,
  ): Promise<{ kind: 'sent'; hash: Hash } | { kind: 'underpriced' } | { kind: 'nonce-used' }> {
    const signed = await this.options.account.signTransaction({
      type: 'eip1559',
      chainId: this.options.chainId,
      nonce,
      to: candidate.to,
      data: candidate.data,
      value: candidate.value ?? 0n,
      gas,
      ...fees,
    })
    try {
      return { kind: 'sent', hash: await this.options.l1.sendRawTransaction({ serializedTransaction: signed }) }
    } catch (error) {
      const message = errorText(error)
      if (ALREADY_KNOWN.test(message)) return { kind: 'sent', hash: keccak256(signed) }
      if (NONCE_TOO_LOW.test(message)) return { kind: 'nonce-used' }
      if (UNDERPRICED.test(message)) return { kind: 'underpriced' }
      throw new TxRejectedError(`L1 refused the tx: ${message}`, { nonce }, { cause: error })
    }
  }

  private async findReceipt(hashes: readonly Hash[]): Promise<TransactionReceipt | undefined> {
    for (const hash of hashes) {
      try {
        return await this.options.l1.getTransactionReceipt({ hash })
      } catch (error) {
        if (!(error instanceof TransactionReceiptNotFoundError)) throw error
      }
    }
    return undefined
  }

  /** Polls for a receipt of one of `hashes` for a few intervals (bounded). */
  private async awaitOwnReceipt(hashes: readonly Hash[]): Promise<boolean> {
    for (let i = 0; i < 5 && hashes.length > 0; i++) {
      if (await this.findReceipt(hashes)) return true
      await sleep(this.options.pollIntervalMs)
    }
    return false
  }

  /** Waits until the receipt is `numConfirmations` deep; undefined if it vanished meanwhile (reorg). */
  private async waitConfirmed(
    receipt: TransactionReceipt,
    hashes: readonly Hash[],
    deadline: number,
  ): Promise<TransactionReceipt | undefined> {
    const { l1, numConfirmations, pollIntervalMs } = this.options
    while (Date.now() < deadline) {
      if (this.closed) throw new TxManagerClosedError('tx manager closed', {})
      const head = await l1.getBlockNumber({ cacheTime: 0 })
      if (head + 1n - receipt.blockNumber >= BigInt(numConfirmations)) {
        // Re-read: the block that held it may have been replaced while we waited.
        const again = await this.findReceipt(hashes)
        if (again && again.blockHash === receipt.blockHash) return again
        if (!again) return undefined
        receipt = again
        continue
      }
      await sleep(pollIntervalMs)
    }
    throw new TxSendTimeoutError('tx mined but not confirmed in time', { hash: receipt.transactionHash })
  }

  private async takeNonce(): Promise<number> {
    // One read at a time: two sends must never both start from the same fetched nonce.
    const take = this.nonceLock.then(async () => {
      if (this.nonce === undefined) {
        this.nonce = await this.options.l1.getTransactionCount({ address: this.address, blockTag: 'pending' })
      }
      return this.nonce++
    })
    this.nonceLock = take.then(
      () => undefined,
      () => undefined,
    )
    return take
  }

  private async acquire(): Promise<void> {
    const limit = this.options.maxPending
    // Bounded: each wake-up either takes the slot or re-queues behind a sender that has it.
    while (limit > 0 && this.inFlight >= limit) {
      if (this.closed) throw new TxManagerClosedError('tx manager closed', {})
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    }
    if (this.closed) throw new TxManagerClosedError('tx manager closed', {})
    this.inFlight++
  }

  private release(): void {
    this.inFlight--
    this.waiting.shift()?.()
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const details = (error as Error & { details?: string }).details
    return `${error.message} ${details ?? ''}`
  }
  return String(error)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
