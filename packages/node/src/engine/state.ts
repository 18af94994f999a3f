import type { Common } from '@ethereumjs/common'
import { MerklePatriciaTrie } from '@ethereumjs/mpt'
import { RLP } from '@ethereumjs/rlp'
import { Caches, CODEHASH_PREFIX, MerkleStateManager } from '@ethereumjs/statemanager'
import {
  Account,
  type Address,
  concatBytes,
  createAccountFromRLP,
  createAddressFromString,
  type DB,
  hexToBytes,
  unpadBytes,
  unprefixedHexToBytes,
  ValueEncoding,
} from '@ethereumjs/util'
import { DecodedAccounts, encodeAccount } from './account-rlp.js'
import { keccak256 } from './crypto.js'
import { TrieNodeCache, type TrieWrite, trieGet, trieUpdate } from './trie/state-trie.js'

/**
 * The world state: ethereumjs' MerkleStateManager with caches (≈2x faster blocks, docs/evm-engines.md) over an MPT
 * whose nodes go to `db`. Node pruning stays off: every block's root remains readable, which historical
 * eth_call/eth_getProof need. `nodes` is the decoded-node cache; states at different roots over the same node DB may
 * share one (nodes are content-addressed).
 */
export function createEngineState(
  common: Common,
  db: DB<string, string | Uint8Array>,
  root?: Uint8Array,
  nodes: TrieNodeCache = new TrieNodeCache(20_000),
): EngineStateManager {
  const trie = new MerklePatriciaTrie({
    db,
    useKeyHashing: true,
    valueEncoding: ValueEncoding.Bytes,
    common,
    ...(root ? { root } : {}),
  })
  return new EngineStateManager({ common, trie, caches: new Caches() }, nodes)
}

const EMPTY_SLOT = hexToBytes('0x80')

/**
 * MerkleStateManager with the trie reads and the end-of-block flush done on decoded, cached nodes (`trie/`): a cache
 * miss reads the value synchronously from memory instead of ethereumjs' node-by-node asynchronous walk that decodes
 * every node again, and `flush()` applies all of a block's writes to each trie at once, encoding and hashing every
 * changed node once (ethereumjs' `put` re-hashed the path up to the root for every account and slot: ~1/4 of an
 * ERC-20 block). Roots and stored nodes are the same as ethereumjs' (the trie is the same MPT); proofs, dumps and
 * everything else still go through the inherited MPT, which reads the nodes written here.
 */
export class EngineStateManager extends MerkleStateManager {
  private readonly accounts = new DecodedAccounts()

  constructor(
    options: ConstructorParameters<typeof MerkleStateManager>[0],
    readonly nodes: TrieNodeCache,
  ) {
    super(options)
  }

  override async getAccount(address: Address): Promise<Account | undefined> {
    const cache = this._caches?.account
    const cached = cache?.get(address)
    if (cached !== undefined) return cached.accountRLP !== undefined ? this.accounts.read(cached.accountRLP) : undefined
    const rlp = await trieGet(this.nodes, this._trie.database(), this._trie.root(), keccak256(address.bytes))
    if (!cache) return rlp !== null ? createAccountFromRLP(rlp) : undefined
    if (rlp === null) {
      cache.put(address, undefined)
      return undefined
    }
    cache.put(address, serialized(rlp))
    return this.accounts.read(rlp)
  }

  /**
   * Into the account cache as RLP (what its checkpoints and the flush work on), encoded by `encodeAccount` and
   * remembered decoded: the EVM reads and writes the same few accounts (sender, coinbase, vaults) several times per
   * tx, and ethereumjs decoded or encoded the RLP each time (~10 % of an ERC-20 block).
   */
  override async putAccount(address: Address, account: Account | undefined): Promise<void> {
    const cache = this._caches?.account
    if (!cache) return super.putAccount(address, account)
    if (account === undefined) {
      cache.del(address)
      return
    }
    const rlp = encodeAccount(account)
    this.accounts.remember(rlp, account)
    cache.put(address, serialized(rlp))
  }

  override async getStorage(address: Address, key: Uint8Array): Promise<Uint8Array> {
    if (key.length !== 32) throw new Error('Storage key must be 32 bytes long')
    const cached = this._caches?.storage?.get(address, key)
    if (cached !== undefined) return RLP.decode(cached) as Uint8Array
    const account = await this.getAccount(address)
    if (!account) return new Uint8Array()
    const value = await trieGet(this.nodes, this._trie.database(), account.storageRoot, keccak256(key))
    this._caches?.storage?.put(address, key, value ?? EMPTY_SLOT)
    return RLP.decode(value ?? new Uint8Array(0)) as Uint8Array
  }

  /**
   * With caches on, ethereumjs 10.1.3's `putStorage` writes the slot into the cache AND straight into the storage trie
   * (`cache.put(…) ?? writeContractStorage(…)`: `put` returns undefined), re-hashing the storage trie path and
   * re-serializing the account on every SSTORE, and leaving the intermediate nodes in the node DB. The slot is
   * written to the trie by `flush()`; reads see it in the cache until then.
   */
  override async putStorage(address: Address, key: Uint8Array, value: Uint8Array): Promise<void> {
    const storage = this._caches?.storage
    if (!storage) return super.putStorage(address, key, value)
    if (key.length !== 32) throw new Error('Storage key must be 32 bytes long')
    if (value.length > 32) throw new Error('Storage value cannot be longer than 32 bytes')
    if ((await this.getAccount(address)) === undefined) throw new Error('putStorage() called on non-existing account')
    storage.put(address, key, RLP.encode(unpadBytes(value)))
  }

  /** Writes the cached changes into the tries: code, then each account's storage trie, then the account trie. */
  override async flush(): Promise<void> {
    const db = this._trie.database()
    const nodes: [Uint8Array, Uint8Array][] = []
    for (const [addressHex, element] of this._caches?.code?.flush() ?? []) {
      if (element.code === undefined) continue
      const codeHash = keccak256(element.code)
      await db.put(this._prefixCodeHashes ? concatBytes(CODEHASH_PREFIX, codeHash) : codeHash, element.code)
      const address = createAddressFromString(`0x${addressHex}`)
      if ((await this.getAccount(address)) === undefined) await this.putAccount(address, new Account())
      await this.modifyAccountFields(address, { codeHash })
    }

    const slotsByAccount = new Map<string, TrieWrite[]>()
    for (const [addressHex, keyHex, value] of this._caches?.storage?.flush() ?? []) {
      const decoded = RLP.decode(value ?? new Uint8Array(0)) as Uint8Array
      let writes = slotsByAccount.get(addressHex)
      if (!writes) {
        writes = []
        slotsByAccount.set(addressHex, writes)
      }
      writes.push({
        key: keccak256(unprefixedHexToBytes(keyHex)),
        value: decoded.length > 0 ? RLP.encode(decoded) : null,
      })
    }
    for (const [addressHex, writes] of slotsByAccount) {
      const address = createAddressFromString(`0x${addressHex}`)
      const account = await this.getAccount(address)
      if (!account) continue
      const updated = await trieUpdate(this.nodes, db, account.storageRoot, writes)
      nodes.push(...updated.nodes)
      account.storageRoot = updated.root
      await this.putAccount(address, account)
    }

    const accountWrites: TrieWrite[] = []
    for (const [addressHex, element] of this._caches?.account?.flush() ?? []) {
      accountWrites.push({ key: keccak256(unprefixedHexToBytes(addressHex)), value: element.accountRLP ?? null })
    }
    if (accountWrites.length > 0) {
      const updated = await trieUpdate(this.nodes, db, this._trie.root(), accountWrites)
      nodes.push(...updated.nodes)
      this._trie.root(updated.root)
    }
    if (nodes.length > 0) await db.batch(nodes.map(([key, value]) => ({ type: 'put', key, value })))
    // the inherited MPT objects of storage tries still point at the old roots
    this._storageTries = {}
  }
}

/** what AccountCache.put needs of an account: its RLP (a class: no closure allocated per put) */
class SerializedAccount {
  constructor(private readonly rlp: Uint8Array) {}
  serialize(): Uint8Array {
    return this.rlp
  }
}
function serialized(rlp: Uint8Array): Account {
  return new SerializedAccount(rlp) as unknown as Account
}
