import type { BlockHeader } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import { bytesToHex, equalsBytes } from '@ethereumjs/util'
import { createVM, type VM } from '@ethereumjs/vm'
import { BlockBuilder, type PayloadAttributes, type SealedBlock } from './block-builder.js'
import { BlockHashes } from './block-hashes.js'
import { createEngineCommon } from './common.js'
import { EngineConfig, type EngineConfigInput } from './config.js'
import { MemoryNodeBackend } from './db/memory-backend.js'
import { type NodeBackend, NodeDB, type NodeWrite } from './db/node-db.js'
import { OverlayNodeDB } from './db/overlay-db.js'
import { BlockBuildError } from './errors.js'
import { type GenesisSpec, genesisHeader, writeGenesisState } from './genesis.js'
import { opPrecompiles } from './p256-verify.js'
import { createEngineState } from './state.js'
import { TrieNodeCache } from './trie/state-trie.js'

export type CreateEngineParameters = {
  config: EngineConfigInput
  genesis: GenesisSpec
  /** where trie nodes go; in-memory when absent */
  backend?: NodeBackend
  /**
   * The state root this genesis had on an earlier start on the same backend: when its node is there, the alloc is not
   * applied again (thousands of accounts: seconds of a restart).
   */
  genesisStateRoot?: Uint8Array
}

/**
 * The execution engine: state at the head, block building on top of it, one atomic node-DB batch per block. Blocks
 * and receipts are the store's business: `commit()` takes the sealed block so the store can persist it alongside.
 */
export class Engine {
  private constructor(
    readonly config: EngineConfig,
    readonly common: Common,
    readonly vm: VM,
    readonly nodeDb: NodeDB,
    readonly blockHashes: BlockHashes,
    readonly genesis: BlockHeader,
    private headHeader: BlockHeader,
    /** decoded trie nodes, shared by the head state and the read-only states at past roots */
    private readonly trieNodes: TrieNodeCache,
  ) {}

  /** the block being built, whose state checkpoint is open until it is sealed or discarded */
  private building?: BlockBuilder

  static async create(parameters: CreateEngineParameters): Promise<Engine> {
    const config = EngineConfig.parse(parameters.config)
    const common = createEngineCommon(config.chainId)
    const nodeDb = new NodeDB(parameters.backend ?? new MemoryNodeBackend())
    const trieNodes = new TrieNodeCache()
    const known = parameters.genesisStateRoot
    const reuse = known !== undefined && (await nodeDb.get(bytesToHex(known).slice(2))) !== undefined
    const stateRoot = reuse ? known : await writeGenesisState(nodeDb, parameters.genesis.alloc)
    const stateManager = createEngineState(common, nodeDb, stateRoot, trieNodes)
    const blockHashes = new BlockHashes()
    const vm = await createVM({
      common,
      stateManager,
      blockchain: blockHashes,
      evmOpts: { customPrecompiles: opPrecompiles },
    })
    const genesis = genesisHeader(common, parameters.genesis, stateRoot)
    await nodeDb.commit()
    blockHashes.set(0n, genesis.hash())
    return new Engine(config, common, vm, nodeDb, blockHashes, genesis, genesis, trieNodes)
  }

  get head(): BlockHeader {
    return this.headHeader
  }

  get stateManager(): MerkleStateManager {
    return this.vm.stateManager as MerkleStateManager
  }

  /** Starts a block on the current head (the sequencer path: add txs one by one, skip the rejected). */
  async startBlock(attributes: Omit<PayloadAttributes, 'transactions'>): Promise<BlockBuilder> {
    // a builder dropped without seal() or abandon() still holds its checkpoint: its changes are not the head's
    await this.building?.discard()
    this.building = await BlockBuilder.start(
      this.vm,
      this.headHeader,
      { ...attributes, transactions: [] },
      this.config.eip1559,
    )
    return this.building
  }

  /**
   * Builds a block with exactly the given transactions (the derivation path: payload attributes are forced, so any
   * invalid tx makes the payload invalid) and commits it as the new head (through `commit`, e.g. a block store's
   * `commitBlock`, which must call `commit` itself).
   */
  async buildBlock(
    attributes: PayloadAttributes,
    commit: (sealed: SealedBlock) => Promise<void> = (sealed) => this.commit(sealed),
  ): Promise<SealedBlock> {
    const builder = await this.startBlock(attributes)
    try {
      for (const tx of attributes.transactions) await builder.add(tx)
    } catch (error) {
      await this.abandon()
      throw error
    }
    const sealed = await builder.seal()
    await commit(sealed)
    return sealed
  }

  /**
   * Makes a sealed block the head; its trie nodes are written in one atomic batch. With `write`, the nodes go to that
   * function instead of the backend, so a block store can persist them in the same batch as the block itself.
   */
  async commit(sealed: SealedBlock, write?: (nodes: NodeWrite[]) => Promise<void>): Promise<void> {
    if (!equalsBytes(sealed.header.parentHash, this.headHeader.hash())) {
      throw new BlockBuildError('sealed block does not extend the head', { number: sealed.header.number })
    }
    if (write) await this.nodeDb.commitWith(write)
    else await this.nodeDb.commit()
    this.blockHashes.set(sealed.header.number, sealed.hash)
    this.headHeader = sealed.header
  }

  /**
   * Moves the head to an already-persisted block (restart, reorg): the state is reopened at its root and BLOCKHASH is
   * refilled from `recentHashes` (number → hash of the canonical blocks up to 256 below the head).
   */
  async setHead(header: BlockHeader, recentHashes: Iterable<[bigint, Uint8Array]>): Promise<void> {
    await this.building?.discard()
    this.nodeDb.discard()
    if (!(await this.nodeDb.get(bytesToHex(header.stateRoot).slice(2)))) {
      throw new BlockBuildError('state root of the new head is missing', { number: header.number })
    }
    await this.stateManager.setStateRoot(header.stateRoot, true)
    this.stateManager.clearCaches()
    for (const [number, hash] of recentHashes) this.blockHashes.set(number, hash)
    this.headHeader = header
  }

  /**
   * A read-only state at `root`, for eth_call / eth_getProof at any past block (nodes are never pruned). Its writes go
   * to a private overlay, never into the block being built.
   */
  stateAt(root: Uint8Array): MerkleStateManager {
    return createEngineState(this.common, new OverlayNodeDB(this.nodeDb), root, this.trieNodes)
  }

  /** A throwaway VM over `stateAt(root)` that shares the BLOCKHASH window. */
  async vmAt(root: Uint8Array): Promise<VM> {
    return createVM({
      common: this.common,
      stateManager: this.stateAt(root),
      blockchain: this.blockHashes,
      evmOpts: { customPrecompiles: opPrecompiles },
    })
  }

  /** Drops the state changes of a block being built and returns to the head state. */
  async abandon(): Promise<void> {
    await this.building?.discard()
    this.nodeDb.discard()
    await this.stateManager.setStateRoot(this.headHeader.stateRoot, true)
    this.stateManager.clearCaches()
  }
}
