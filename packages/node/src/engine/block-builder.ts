import { type BlockHeader, createBlock, createBlockHeader } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import { Address, bytesToHex, equalsBytes, hexToBytes, KECCAK256_RLP } from '@ethereumjs/util'
import type { VM } from '@ethereumjs/vm'
import type { Hex, Address as Hex20 } from 'viem'
import { processBeaconBlockRoot } from './beacon-root.js'
import type { BlockContext } from './block-context.js'
import type { Eip1559Params } from './eip1559.js'
import { nextBaseFee } from './eip1559.js'
import { BlockBuildError } from './errors.js'
import { type DepositFailure, executeDeposit } from './execute-deposit.js'
import { executeTransaction } from './execute-transaction.js'
import { type EngineReceipt, encodeReceipt } from './receipts.js'
import type { EngineTx } from './transactions.js'
import { orderedTrieRoot } from './tries.js'

/** op-node's payload attributes as the engine needs them (transactions already decoded). */
export type PayloadAttributes = {
  timestamp: bigint
  /** the L1 origin's mixHash */
  prevRandao: Hex
  /** SequencerFeeVault 0x4200…0011 on OP chains */
  suggestedFeeRecipient: Hex20
  /** the L1 origin's parentBeaconBlockRoot (zero when L1 has none) */
  parentBeaconBlockRoot: Hex
  gasLimit: bigint
  /** deposits first (L1-info, user deposits), then signed txs */
  transactions: EngineTx[]
}

export type SealedBlock = {
  header: BlockHeader
  hash: Uint8Array
  transactions: EngineTx[]
  receipts: EngineReceipt[]
  /** deposits included as failed before reaching the EVM, by tx index */
  depositFailures: Map<number, DepositFailure>
}

/**
 * Builds one block on top of `parent` in linear time: each tx runs once against a header-only env block, the tx and
 * receipt tries and the state root are computed once in `seal()` (the stock ethereumjs BlockBuilder re-creates the
 * block on every tx, O(n²)). The state manager must be positioned at `parent.stateRoot`.
 *
 * The whole block runs inside one state checkpoint, committed in `seal()` (or reverted by `discard()`). Without it
 * every tx's own checkpoint was a depth-0 commit, which MerkleStateManager answers by flushing its caches into the
 * trie: the accounts a tx touched were re-hashed into the state trie after every tx. Post-Byzantium receipts carry no
 * intermediate state root, so the trie is needed only once, at the end of the block. What the depth-0 commit did
 * besides the flush (clearing the EIP-2200 original-storage cache) is done after every tx instead.
 */
export class BlockBuilder {
  private readonly transactions: EngineTx[] = []
  private readonly receipts: EngineReceipt[] = []
  private readonly depositFailures = new Map<number, DepositFailure>()
  private sawSignedTx = false
  private sealed = false

  private constructor(
    private readonly ctx: BlockContext,
    private readonly parent: BlockHeader,
    private readonly common: Common,
  ) {}

  static async start(
    vm: VM,
    parent: BlockHeader,
    attributes: PayloadAttributes,
    eip1559: Eip1559Params,
  ): Promise<BlockBuilder> {
    if (attributes.timestamp <= parent.timestamp) {
      throw new BlockBuildError('timestamp not after parent', {
        timestamp: attributes.timestamp,
        parent: parent.timestamp,
      })
    }
    const root = await vm.stateManager.getStateRoot()
    if (!equalsBytes(root, parent.stateRoot)) {
      throw new BlockBuildError('state is not at the parent state root', {
        state: bytesToHex(root),
        parent: bytesToHex(parent.stateRoot),
      })
    }
    const baseFeePerGas = nextBaseFee(
      { gasLimit: parent.gasLimit, gasUsed: parent.gasUsed, baseFeePerGas: parent.baseFeePerGas ?? 0n },
      eip1559,
    )
    const env = createBlock(
      {
        header: {
          parentHash: parent.hash(),
          number: parent.number + 1n,
          timestamp: attributes.timestamp,
          gasLimit: attributes.gasLimit,
          coinbase: new Address(hexToBytes(attributes.suggestedFeeRecipient)),
          baseFeePerGas,
          mixHash: hexToBytes(attributes.prevRandao),
          parentBeaconBlockRoot: hexToBytes(attributes.parentBeaconBlockRoot),
          excessBlobGas: 0n,
          blobGasUsed: 0n,
          withdrawalsRoot: KECCAK256_RLP,
        },
      },
      { common: vm.common, skipConsensusFormatValidation: true },
    )
    const ctx: BlockContext = { vm, env, gasUsed: 0n, gasPool: attributes.gasLimit }
    const builder = new BlockBuilder(ctx, parent, vm.common)
    await vm.stateManager.checkpoint()
    try {
      await processBeaconBlockRoot(ctx, env.header.parentBeaconBlockRoot!)
    } catch (error) {
      await builder.discard()
      throw error
    }
    return builder
  }

  get gasUsed(): bigint {
    return this.ctx.gasUsed
  }

  get gasRemaining(): bigint {
    return this.ctx.gasPool
  }

  get baseFeePerGas(): bigint {
    return this.ctx.env.header.baseFeePerGas!
  }

  /**
   * Executes and appends one tx. A signed tx that breaks a validity rule throws `InvalidTransactionError` and leaves
   * state and block untouched (the sequencer skips it); a deposit never does (it fails inside the block instead).
   */
  async add(tx: EngineTx): Promise<EngineReceipt> {
    if (this.sealed) throw new BlockBuildError('block already sealed')
    let receipt: EngineReceipt
    try {
      if (tx.kind === 'deposit') {
        if (this.sawSignedTx)
          throw new BlockBuildError('deposit after a signed tx', { index: this.transactions.length })
        const result = await executeDeposit(this.ctx, tx.deposit)
        if (result.failure) this.depositFailures.set(this.transactions.length, result.failure)
        receipt = result.receipt
      } else {
        receipt = await executeTransaction(this.ctx, tx.tx, tx.raw)
        this.sawSignedTx = true
      }
    } finally {
      // the next tx's SSTORE gas must see this tx's writes as the original values
      this.ctx.vm.stateManager.originalStorageCache.clear()
    }
    this.transactions.push(tx)
    this.receipts.push(receipt)
    return receipt
  }

  /** Drops the block's state changes (its checkpoint); a no-op once sealed or discarded. */
  async discard(): Promise<void> {
    if (this.sealed) return
    this.sealed = true
    await this.ctx.vm.stateManager.revert()
  }

  /** Computes the roots and the header. State changes stay in the state manager's caches/node DB until committed. */
  async seal(): Promise<SealedBlock> {
    if (this.sealed) throw new BlockBuildError('block already sealed')
    this.sealed = true
    await this.ctx.vm.stateManager.commit()
    const env = this.ctx.env.header
    const stateRoot = await this.ctx.vm.stateManager.getStateRoot()
    const transactionsTrie = await orderedTrieRoot(
      this.transactions.map((tx) => tx.raw),
      this.common,
    )
    const receiptTrie = await orderedTrieRoot(this.receipts.map(encodeReceipt), this.common)
    const logsBloom = new Uint8Array(256)
    for (const receipt of this.receipts) {
      for (let i = 0; i < 256; i++) logsBloom[i]! |= receipt.logsBloom[i]!
    }
    const header = createBlockHeader(
      {
        parentHash: this.parent.hash(),
        coinbase: env.coinbase,
        stateRoot,
        transactionsTrie,
        receiptTrie,
        logsBloom,
        difficulty: 0n,
        number: env.number,
        gasLimit: env.gasLimit,
        gasUsed: this.ctx.gasUsed,
        timestamp: env.timestamp,
        extraData: new Uint8Array(),
        mixHash: env.mixHash,
        nonce: new Uint8Array(8),
        baseFeePerGas: env.baseFeePerGas,
        withdrawalsRoot: KECCAK256_RLP,
        blobGasUsed: 0n,
        excessBlobGas: 0n,
        parentBeaconBlockRoot: env.parentBeaconBlockRoot,
      },
      { common: this.common, skipConsensusFormatValidation: true },
    )
    return {
      header,
      hash: header.hash(),
      transactions: this.transactions,
      receipts: this.receipts,
      depositFailures: this.depositFailures,
    }
  }
}
