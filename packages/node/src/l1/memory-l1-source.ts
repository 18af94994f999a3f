import { type Hex, keccak256, numberToHex, toHex, zeroHash } from 'viem'
import { L1InconsistentError, L1UnavailableError } from './errors.js'
import type { L1Source } from './l1-source.js'
import type { L1BlockInfo, L1BlockRef, L1BlockTag, L1Receipt } from './types.js'

export type MemoryL1BlockInput = {
  timestamp: bigint
  receipts?: L1Receipt[]
  baseFeePerGas?: bigint
  excessBlobGas?: bigint
  mixHash?: Hex
  parentBeaconBlockRoot?: Hex
}

/**
 * An L1 chain held in memory, for unit tests and recorded data: append blocks, reorg, move `safe`/`finalized`, and make
 * the next calls fail as an unreachable node would. Hashes are derived from (parent, number, timestamp, fork salt) so
 * a reorged block never shares a hash with the one it replaces. Every block ever added stays reachable by hash, as on a
 * real node shortly after a reorg.
 */
export class MemoryL1Source implements L1Source {
  private readonly canonical: L1BlockInfo[] = []
  private readonly byHash = new Map<Hex, { block: L1BlockInfo; receipts: L1Receipt[] }>()
  private safeNumber: bigint | undefined
  private finalizedNumber: bigint | undefined
  private failures = 0
  private salt = 0
  /** every call, for tests that assert what was (not) asked */
  readonly calls: string[] = []

  constructor(genesis: MemoryL1BlockInput & { number?: bigint; parentHash?: Hex }) {
    this.push(genesis, genesis.number ?? 0n, genesis.parentHash ?? zeroHash)
  }

  get head(): L1BlockInfo {
    return this.canonical.at(-1)!
  }

  /** Appends a block to the canonical chain. */
  add(input: MemoryL1BlockInput): L1BlockInfo {
    return this.push(input, this.head.number + 1n, this.head.hash)
  }

  /** Appends `count` blocks `interval` seconds apart. */
  addMany(count: number, interval: bigint): L1BlockInfo[] {
    return Array.from({ length: count }, () => this.add({ timestamp: this.head.timestamp + interval }))
  }

  /** Drops the canonical blocks above `number` and appends replacements (different hashes). */
  reorg(number: bigint, replacements: MemoryL1BlockInput[]): L1BlockInfo[] {
    const first = this.canonical[0]!.number
    if (number < first) throw new Error(`cannot reorg below the first block ${first}`)
    this.canonical.length = Number(number - first) + 1
    this.salt++
    return replacements.map((input) => this.add(input))
  }

  setSafe(number: bigint): void {
    this.safeNumber = number
  }

  setFinalized(number: bigint): void {
    this.finalizedNumber = number
  }

  /** The next `count` calls throw `L1UnavailableError`, as when the L1 node is down. */
  failNext(count: number): void {
    this.failures = count
  }

  receiptsOf(hash: Hex): L1Receipt[] | undefined {
    return this.byHash.get(hash)?.receipts
  }

  async blockByNumber(number: bigint): Promise<L1BlockInfo | undefined> {
    this.enter(`blockByNumber ${number}`)
    return this.canonical[Number(number - this.canonical[0]!.number)]
  }

  async blockByHash(hash: Hex): Promise<L1BlockInfo | undefined> {
    this.enter(`blockByHash ${hash}`)
    return this.byHash.get(hash)?.block
  }

  async blockByTag(tag: L1BlockTag): Promise<L1BlockInfo | undefined> {
    this.enter(`blockByTag ${tag}`)
    const number = tag === 'latest' ? this.head.number : tag === 'safe' ? this.safeNumber : this.finalizedNumber
    return number === undefined ? undefined : this.canonical[Number(number - this.canonical[0]!.number)]
  }

  async receipts(block: L1BlockRef): Promise<L1Receipt[]> {
    this.enter(`receipts ${block.hash}`)
    const entry = this.byHash.get(block.hash)
    if (!entry) throw new L1InconsistentError('L1 has no receipts for the block', { hash: block.hash })
    return entry.receipts
  }

  private enter(call: string): void {
    this.calls.push(call)
    if (this.failures > 0) {
      this.failures--
      throw new L1UnavailableError('L1 unavailable: connection refused (simulated)', { call })
    }
  }

  private push(input: MemoryL1BlockInput, number: bigint, parentHash: Hex): L1BlockInfo {
    const hash = keccak256(toHex(`${parentHash}:${number}:${input.timestamp}:${this.salt}`))
    // Like a node's receipts: every log knows its block and its index among all logs of the block.
    let logIndex = 0
    const receipts = (input.receipts ?? []).map((receipt) => ({
      ...receipt,
      logs: receipt.logs.map((log) => ({ ...log, blockHash: hash, logIndex: logIndex++ })),
    }))
    const block: L1BlockInfo = {
      hash,
      number,
      parentHash,
      timestamp: input.timestamp,
      baseFeePerGas: input.baseFeePerGas ?? 1_000_000_000n,
      excessBlobGas: input.excessBlobGas ?? 0n,
      mixHash: input.mixHash ?? keccak256(numberToHex(number, { size: 32 })),
      parentBeaconBlockRoot: input.parentBeaconBlockRoot ?? keccak256(hash),
      transactionCount: receipts.length,
    }
    this.canonical.push(block)
    this.byHash.set(hash, { block, receipts })
    return block
  }
}
