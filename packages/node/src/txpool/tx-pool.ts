import type { MerkleStateManager } from '@ethereumjs/statemanager'
import { Account, Address, bytesToHex, hexToBytes } from '@ethereumjs/util'
import type { Logger } from 'pino'
import type { Hex, Address as Hex20 } from 'viem'
import { getAddress } from 'viem'
import type { Engine } from '../engine/engine.js'
import { TxRejectReason } from '../engine/errors.js'
import { type L1FeeReceiptFields, l1FeeFunction, readL1FeeParams } from '../engine/l1-fee.js'
import type { EngineTx } from '../engine/transactions.js'
import type { PendingLimits, TxSource } from '../sequencer-ports.js'
import { PoolRejectReason, TxPoolError } from './errors.js'
import { Heap } from './heap.js'
import type { TxJournal } from './journal.js'
import { effectiveTip, outbids } from './pricing.js'
import type { RecoveredSender, SenderRecovery } from './sender-recovery.js'
import { decodePoolTx, type PoolTx, validateAgainstState } from './validate.js'

export type TxPoolConfig = {
  /** max txs per sender, pending + queued (geth: accountslots 16 + accountqueue 64) */
  accountSlots: number
  /** max txs in the pool (geth: globalslots 5120 + globalqueue 1024) */
  globalSlots: number
  /** replacement fee bump in percent (geth --txpool.pricebump) */
  priceBump: bigint
  /** minimum tip accepted (geth --txpool.pricelimit, 1 wei) */
  minTip: bigint
}

export const DEFAULT_TX_POOL_CONFIG: TxPoolConfig = {
  accountSlots: 80,
  globalSlots: 6144,
  priceBump: 10n,
  minTip: 0n,
}

/** reasons after which the tx stays in the pool: it may fit or pay in a later block */
const TRANSIENT: ReadonlySet<string> = new Set([TxRejectReason.gasLimitReached, TxRejectReason.feeCapTooLow])

type HeadView = { state: MerkleStateManager; l1Fee: (raw: Uint8Array) => L1FeeReceiptFields; number: bigint }

/**
 * The transaction pool: validated signed txs by sender and nonce. A sender's txs from its state nonce on without a
 * gap are "pending" (executable); the rest are "queued" and become pending as soon as the gap fills (a new tx or a
 * new head). Implements the sequencer's TxSource.
 */
export class TxPool implements TxSource {
  private readonly senders = new Map<Hex20, Map<bigint, PoolTx>>()
  private readonly byHash = new Map<Hex, PoolTx>()
  private readonly stateNonces = new Map<Hex20, bigint>()
  private readonly listeners = new Set<(hash: Hex) => void>()
  private skipped = new Set<Hex20>()
  private head?: HeadView
  private seq = 0
  private restoring = false
  /** senders being recovered for the JSON-RPC batch in progress, by raw tx hex (prefetchSenders) */
  private readonly prefetched = new Map<Hex, Promise<RecoveredSender | undefined>>()

  constructor(
    private readonly engine: Engine,
    private readonly config: TxPoolConfig = DEFAULT_TX_POOL_CONFIG,
    private readonly log?: Logger,
    /** where acknowledged txs are persisted before their hash is returned (geth's transactions.rlp) */
    private readonly journal?: TxJournal,
    /** recovers a batch's senders off the main thread (prefetchSenders); without it every sender is recovered inline */
    private readonly recovery?: SenderRecovery,
  ) {}

  /**
   * Re-admits the journal's txs against the current head (start-up, before serving): each goes through `add()`, so
   * mined ones (nonce too low), unaffordable and otherwise invalid ones are dropped; then the journal is rewritten
   * with what the pool kept.
   */
  async restoreJournal(): Promise<{ restored: number; dropped: number; torn: boolean }> {
    if (!this.journal) return { restored: 0, dropped: 0, torn: false }
    const { raws, torn } = this.journal.load()
    let dropped = 0
    this.restoring = true
    try {
      for (const raw of raws) {
        try {
          await this.add(raw)
        } catch {
          dropped++
        }
      }
    } finally {
      this.restoring = false
    }
    this.journal.rotate(this.journaled())
    const summary = { restored: raws.length - dropped, dropped, torn }
    this.log?.info({ ...summary, path: this.journal.path }, 'tx journal restored')
    return summary
  }

  /** The pool's txs for the journal: per sender in nonce order. */
  private *journaled(): Iterable<Uint8Array> {
    for (const txs of this.senders.values()) {
      for (const tx of [...txs.values()].sort((a, b) => (a.nonce < b.nonce ? -1 : 1))) yield tx.tx.raw
    }
  }

  async close(): Promise<void> {
    this.journal?.close()
    await this.recovery?.close()
  }

  /** Starts the sender-recovery workers now instead of with the first batch; resolves once they are loaded. */
  async warmUpRecovery(): Promise<void> {
    await this.recovery?.warmUp()
  }

  /** CPU ms the sender-recovery workers have used so far (0 without workers) */
  recoveryCpuMs(): number {
    return this.recovery?.cpuMs() ?? 0
  }

  /**
   * Starts recovering the senders of a JSON-RPC batch's raw txs on the recovery workers, while `add` admits them one
   * by one in order (`add` of the same hex picks its result up). A lone tx is recovered inline: a worker round trip would
   * only add latency. Returns the clean-up for the batch's end (results of txs never added are dropped).
   */
  prefetchSenders(raws: readonly Hex[]): () => void {
    if (!this.recovery?.enabled || raws.length < 2) return () => {}
    const fresh = raws.filter((raw) => !this.prefetched.has(raw))
    const pending = this.recovery.recover(fresh)
    for (const [i, raw] of fresh.entries()) this.prefetched.set(raw, pending[i]!)
    return () => {
      for (const raw of fresh) this.prefetched.delete(raw)
    }
  }

  get size(): number {
    return this.byHash.size
  }

  /**
   * Validates and adds a raw signed tx (eth_sendRawTransaction); returns its hash or throws with geth's message. As
   * hex (as sent), it picks up what `prefetchSenders` recovered for it.
   */
  async add(rawTx: Uint8Array | Hex): Promise<Hex> {
    let recovered: RecoveredSender | undefined
    let raw: Uint8Array
    if (typeof rawTx === 'string') {
      const prefetched = this.prefetched.get(rawTx)
      if (prefetched) {
        this.prefetched.delete(rawTx)
        recovered = await prefetched
      }
      raw = recovered?.raw ?? hexToBytes(rawTx)
    } else {
      raw = rawTx
    }
    const decoded = decodePoolTx(
      raw,
      this.engine.common,
      { blockGasLimit: this.engine.head.gasLimit, minTip: this.config.minTip },
      recovered,
    )
    const hash = bytesToHex(decoded.tx.hash) as Hex
    if (this.byHash.has(hash)) throw new TxPoolError(PoolRejectReason.alreadyKnown)
    const head = await this.headView()
    const { cost, stateNonce } = await validateAgainstState(decoded, head.state, head.l1Fee)
    this.stateNonces.set(decoded.sender, stateNonce)
    const txs = this.senders.get(decoded.sender) ?? new Map<bigint, PoolTx>()
    const existing = txs.get(decoded.nonce)
    if (existing) {
      if (!outbids(decoded.caps, existing.caps, this.config.priceBump)) {
        throw new TxPoolError(PoolRejectReason.replacementUnderpriced)
      }
      this.byHash.delete(bytesToHex(existing.tx.hash) as Hex)
    } else {
      if (txs.size >= this.config.accountSlots) throw new TxPoolError(PoolRejectReason.accountLimit)
      if (this.byHash.size >= this.config.globalSlots) throw new TxPoolError(PoolRejectReason.txPoolFull)
    }
    // persisted before it is acknowledged; a failed write rejects the tx (nothing was added)
    if (!this.restoring) this.journal?.append(raw)
    const entry: PoolTx = { ...decoded, cost, seq: this.seq++ }
    txs.set(decoded.nonce, entry)
    this.senders.set(decoded.sender, txs)
    this.byHash.set(hash, entry)
    this.log?.debug({ hash, sender: decoded.sender, nonce: decoded.nonce.toString() }, 'tx added')
    for (const listener of this.listeners) listener(hash)
    return hash
  }

  get(hash: Hex): PoolTx | undefined {
    return this.byHash.get(hash.toLowerCase() as Hex)
  }

  /** eth_getTransactionCount(…, 'pending'): the state nonce plus this sender's gap-free pool txs. */
  async pendingNonce(address: Hex20): Promise<bigint> {
    const sender = getAddress(address)
    const head = await this.headView()
    const account = (await head.state.getAccount(new Address(hexToBytes(sender)))) ?? new Account()
    let nonce = account.nonce
    const txs = this.senders.get(sender)
    while (txs?.has(nonce)) nonce++
    return nonce
  }

  /** Pending (executable) and queued txs per sender, for txpool_status / txpool_content. */
  content(): { pending: Map<Hex20, PoolTx[]>; queued: Map<Hex20, PoolTx[]> } {
    const pending = new Map<Hex20, PoolTx[]>()
    const queued = new Map<Hex20, PoolTx[]>()
    for (const [sender, txs] of this.senders) {
      let next = this.stateNonces.get(sender) ?? 0n
      for (const tx of [...txs.values()].sort((a, b) => (a.nonce < b.nonce ? -1 : 1))) {
        const target = tx.nonce === next ? pending : queued
        if (tx.nonce === next) next++
        const list = target.get(sender) ?? []
        list.push(tx)
        target.set(sender, list)
      }
    }
    return { pending, queued }
  }

  /** Called for every tx that enters the pool (eth_subscribe newPendingTransactions, pending filters). */
  onAdd(listener: (hash: Hex) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * TxSource: executable txs, per sender in nonce order, across senders by effective tip at the block's base fee (then
   * arrival order). A heap holds each sender's next tx: O(log senders) per tx (a scan of every sender per tx was
   * O(senders × txs)). Lazy: a sender rejected while the block is built (`markRejected`) gets no further txs.
   */
  *pending(limits: PendingLimits): Iterable<EngineTx> {
    this.skipped = new Set()
    const skipped = this.skipped
    // each sender's next tx with its effective tip at this block's base fee, computed once per tx (not per comparison)
    const heap = new Heap<{ tx: PoolTx; tip: bigint }>((a, b) =>
      a.tip === b.tip ? a.tx.seq < b.tx.seq : a.tip > b.tip,
    )
    const offer = (sender: Hex20, nonce: bigint) => {
      if (skipped.has(sender)) return
      const tx = this.senders.get(sender)?.get(nonce)
      if (tx && tx.caps.feeCap >= limits.baseFee) heap.push({ tx, tip: effectiveTip(tx.caps, limits.baseFee) })
    }
    for (const sender of this.senders.keys()) offer(sender, this.stateNonces.get(sender) ?? 0n)
    for (let next = heap.pop(); next; next = heap.pop()) {
      const best = next.tx
      if (skipped.has(best.sender)) continue
      // replaced or removed while the block was being built (add() interleaves with builder.add())
      if (this.senders.get(best.sender)?.get(best.nonce) !== best) {
        offer(best.sender, best.nonce)
        continue
      }
      if (best.gasLimit <= limits.gasLimit) yield best.tx
      offer(best.sender, best.nonce + 1n)
    }
  }

  /** TxSource: skips the sender for the rest of this block; drops the tx unless the reason is transient. */
  markRejected(tx: EngineTx, reason: TxRejectReason): void {
    const entry = this.byHash.get(bytesToHex(tx.hash) as Hex)
    if (!entry) return
    this.skipped.add(entry.sender)
    if (TRANSIENT.has(reason)) return
    this.log?.info({ hash: bytesToHex(tx.hash), reason }, 'tx dropped by the sequencer')
    this.remove(entry)
  }

  /** TxSource: removes included txs and advances their senders' nonces. */
  markIncluded(txs: readonly EngineTx[]): void {
    for (const tx of txs) {
      const entry = this.byHash.get(bytesToHex(tx.hash) as Hex)
      if (!entry) continue
      this.remove(entry)
      const nonce = this.stateNonces.get(entry.sender) ?? 0n
      if (entry.nonce + 1n > nonce) this.stateNonces.set(entry.sender, entry.nonce + 1n)
    }
  }

  /**
   * Re-checks every sender against the new head: txs below the state nonce are gone (included, or replaced by a
   * deposit's nonce bump), and txs the sender can no longer pay for are dropped.
   */
  async onNewHead(): Promise<void> {
    this.head = undefined
    const head = await this.headView()
    for (const [sender, txs] of [...this.senders]) {
      const account = (await head.state.getAccount(new Address(hexToBytes(sender)))) ?? new Account()
      this.stateNonces.set(sender, account.nonce)
      for (const tx of [...txs.values()]) {
        if (tx.nonce < account.nonce || tx.cost > account.balance) this.remove(tx)
      }
    }
    // drop mined and stale txs from the journal once it has grown well past the pool (geth rotates hourly)
    if (this.journal && this.journal.appended > Math.max(1000, 2 * this.size)) this.journal.rotate(this.journaled())
  }

  private remove(entry: PoolTx): void {
    this.byHash.delete(bytesToHex(entry.tx.hash) as Hex)
    const txs = this.senders.get(entry.sender)
    if (txs?.get(entry.nonce) === entry) txs.delete(entry.nonce)
    if (txs?.size === 0) {
      this.senders.delete(entry.sender)
      this.stateNonces.delete(entry.sender)
    }
  }

  /** The head state and L1 fee function, cached until the next head. */
  private async headView(): Promise<HeadView> {
    const header = this.engine.head
    if (this.head && this.head.number === header.number) return this.head
    const state = this.engine.stateAt(header.stateRoot)
    const view = { state, l1Fee: l1FeeFunction(await readL1FeeParams(state)), number: header.number }
    this.head = view
    return view
  }
}
