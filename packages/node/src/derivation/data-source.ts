import {
  ALT_DA_TX_DATA_VERSION,
  type AltDaCommitment,
  decodeCommitment,
  MAX_KECCAK_INPUT_SIZE,
  type RollupConfig,
} from '@opl/protocol'
import type { Logger } from 'pino'
import { type Address, hexToBytes } from 'viem'
import type { L1Source } from '../l1/l1-source.js'
import { formatRef, type L1BlockRef } from '../l1/types.js'
import { type DaSource, verifyDaData } from './da-source.js'
import {
  DaDataMismatchError,
  DaMissingPastWindowError,
  DaNotFoundError,
  DerivationCriticalError,
  EndOfData,
} from './errors.js'
import type { L1Transaction, L1TransactionSource } from './l1-transactions.js'

const BLOB_TX_TYPE = '0x3'

/** Why a batcher-inbox tx gave no data; reported through `onSkip` so tests and metrics see real reasons. */
export type SkippedData = { tx: L1Transaction; reason: string }

export type DataSourceParameters = {
  rollup: RollupConfig
  l1: L1Source
  transactions: L1TransactionSource
  da?: DaSource | undefined
  log?: Logger | undefined
  onSkip?: ((skipped: SkippedData) => void) | undefined
}

/**
 * op-node `CalldataSource` + `AltDADataSource` for one L1 block: the data of every tx to the batch inbox sent by the
 * batcher of the SystemConfig as of this block, in block order. Alt-DA commitments (`0x01 …`) are resolved through the
 * DA source and checked against the commitment; everything else is passed on for the frame parser.
 *
 * A failed fetch leaves the cursor on the same tx, so a retry resumes exactly there (derivation stalls, never skips):
 * - 404: retried while the L1 head is within `da_challenge_window` blocks of the commitment's block, then critical
 *   (op-alt-da: "data missing past window"; generic commitments cannot be challenged, so nothing else can recover it);
 * - other failures: temporary, retried forever (op-node).
 * Data that does not match its commitment is dropped for that tx only. op-node would retry a keccak mismatch forever
 * (its client turns it into an error) and Layr-Labs' fork drops certs the proxy rejects (418); dropping is the one
 * choice that neither stalls nor diverges, since every honest verifier sees the same mismatch.
 */
export class BatcherDataSource {
  private txs: L1Transaction[] | undefined
  private cursor = 0

  constructor(
    private readonly p: DataSourceParameters,
    readonly block: L1BlockRef,
    private readonly batcher: Address,
  ) {}

  /** The next data item of this block; EndOfData once every tx was read. */
  async next(): Promise<Uint8Array> {
    this.txs ??= (await this.p.transactions.transactions(this.block)).filter((tx) => this.isBatcherTx(tx))
    for (let guard = 0; guard <= this.txs.length; guard++) {
      const tx = this.txs[this.cursor]
      if (!tx) throw new EndOfData('no more batcher data in this L1 block')
      const data = await this.dataOf(tx)
      this.cursor++
      if (data) return data
    }
    throw new EndOfData('no more batcher data in this L1 block')
  }

  private isBatcherTx(tx: L1Transaction): boolean {
    if (tx.to?.toLowerCase() !== this.p.rollup.batchInboxAddress.toLowerCase()) return false
    if (tx.from.toLowerCase() !== this.batcher.toLowerCase()) {
      this.skip(tx, 'sender is not the batcher')
      return false
    }
    if (tx.typeHex === BLOB_TX_TYPE) {
      // Reading blobs needs a beacon node we do not have; ignoring them would silently diverge from op-node.
      throw new DerivationCriticalError('batcher posted a blob tx; blob batches are not supported by this node', {
        tx: tx.hash,
        block: formatRef(this.block),
      })
    }
    return true
  }

  /** The data to pass on, or undefined when the tx is skipped. Fetch failures throw and leave the cursor in place. */
  private async dataOf(tx: L1Transaction): Promise<Uint8Array | undefined> {
    const data = hexToBytes(tx.input)
    if (data.length === 0) return this.skip(tx, 'empty calldata')
    const altDa = this.p.rollup.altDa
    // Without alt-DA, 0x01 data goes to the frame parser, which drops it as an unknown version (op-node).
    if (!altDa || !this.p.da || data[0] !== ALT_DA_TX_DATA_VERSION) return data
    let commitment: AltDaCommitment
    try {
      commitment = decodeCommitment(data.subarray(1))
    } catch (error) {
      return this.skip(tx, `invalid commitment: ${(error as Error).message}`)
    }
    const expected = altDa.commitmentType === 'KeccakCommitment' ? 'keccak' : 'generic'
    if (commitment.type !== expected) return this.skip(tx, `commitment type ${commitment.type} is not ${expected}`)
    const input = await this.fetch(tx, commitment)
    if (!input) return undefined
    if (commitment.type === 'keccak' && input.length > MAX_KECCAK_INPUT_SIZE) {
      return this.skip(tx, 'keccak-committed input above MaxInputSize')
    }
    return input
  }

  private async fetch(tx: L1Transaction, commitment: AltDaCommitment): Promise<Uint8Array | undefined> {
    let input: Uint8Array
    try {
      input = await this.p.da!.get(commitment)
    } catch (error) {
      if (error instanceof DaDataMismatchError) return this.skip(tx, error.message)
      if (error instanceof DaNotFoundError) await this.checkWindow(tx)
      throw error
    }
    try {
      verifyDaData(commitment, input)
    } catch (error) {
      return this.skip(tx, (error as Error).message)
    }
    return input
  }

  private async checkWindow(tx: L1Transaction): Promise<void> {
    const head = await this.p.l1.blockByTag('latest')
    const window = this.p.rollup.altDa?.challengeWindow ?? 0n
    if (head && head.number > this.block.number + window) {
      throw new DaMissingPastWindowError('DA data missing past the challenge window', {
        tx: tx.hash,
        block: formatRef(this.block),
        head: head.number,
      })
    }
  }

  private skip(tx: L1Transaction, reason: string): undefined {
    this.p.log?.warn({ tx: tx.hash, block: formatRef(this.block), reason }, 'batcher tx skipped')
    this.p.onSkip?.({ tx, reason })
    return undefined
  }
}
