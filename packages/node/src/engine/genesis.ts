import { type BlockHeader, createBlockHeader } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import { RLP } from '@ethereumjs/rlp'
import { CODEHASH_PREFIX } from '@ethereumjs/statemanager'
import {
  Account,
  type BatchDBOp,
  bytesToUnprefixedHex,
  concatBytes,
  hexToBytes,
  KECCAK256_NULL,
  KECCAK256_RLP,
  setLengthLeft,
  unpadBytes,
} from '@ethereumjs/util'
import { type TrieEntry, trieRoot } from '@opl/protocol'
import type { Hex } from 'viem'
import { encodeAccount } from './account-rlp.js'
import { keccak256 } from './crypto.js'
import type { NodeDB } from './db/node-db.js'

/** One account of a geth-format `genesis.json` alloc. Quantities may be hex or decimal strings, as geth accepts. */
export type GenesisAccount = {
  balance?: string | bigint
  nonce?: string | number | bigint
  code?: Hex
  storage?: Record<Hex, Hex>
}
export type GenesisAlloc = Record<string, GenesisAccount>

/** The genesis header fields a geth genesis.json carries (everything else is derived). */
export type GenesisSpec = {
  alloc: GenesisAlloc
  timestamp: bigint
  gasLimit: bigint
  /** geth's default when absent: params.InitialBaseFee = 1 gwei */
  baseFeePerGas?: bigint
  extraData?: Hex
  coinbase?: Hex
  mixHash?: Hex
  difficulty?: bigint
  nonce?: Hex
}

const INITIAL_BASE_FEE = 1_000_000_000n

function quantity(value: string | number | bigint | undefined): bigint {
  if (value === undefined) return 0n
  return BigInt(value)
}

/**
 * Writes the alloc's state into `db` — each distinct code under its hash, each account's storage trie, the account
 * trie — and returns the state root. These are the nodes ethereumjs' putAccount/putStorage/putCode and the flush
 * stored, built in one pass per trie over sorted keys (protocol's `trieRoot`, as geth commits a genesis): an OP
 * genesis' 2,354 accounts took ~0.4 s of every fresh start through the state manager. Storage values are stored
 * without leading zeros and zero values are absent, as geth.
 */
export async function writeGenesisState(db: NodeDB, alloc: GenesisAlloc): Promise<Uint8Array> {
  const writes: BatchDBOp<string, Uint8Array>[] = []
  const onNode = (hash: Uint8Array, encoded: Uint8Array) =>
    writes.push({ type: 'put', key: bytesToUnprefixedHex(hash), value: encoded })
  // An OP genesis has ~2,000 predeploy proxies with one code and mostly one storage: each is hashed and written once.
  const codeHashes = new Map<Hex, Uint8Array>()
  const storageRoots = new Map<string, Uint8Array>()
  const accounts: TrieEntry[] = []
  for (const [address, spec] of Object.entries(alloc)) {
    let codeHash = KECCAK256_NULL
    if (spec.code && spec.code !== '0x') {
      let known = codeHashes.get(spec.code)
      if (!known) {
        const code = hexToBytes(spec.code)
        known = keccak256(code)
        codeHashes.set(spec.code, known)
        writes.push({ type: 'put', key: bytesToUnprefixedHex(concatBytes(CODEHASH_PREFIX, known)), value: code })
      }
      codeHash = known
    }
    const slots = Object.entries(spec.storage ?? {})
    const storageKey = JSON.stringify(slots)
    let storageRoot = storageRoots.get(storageKey)
    if (!storageRoot) {
      const entries: TrieEntry[] = []
      for (const [slot, value] of slots) {
        const word = unpadBytes(hexToBytes(value))
        if (word.length > 0)
          entries.push({ key: keccak256(setLengthLeft(hexToBytes(slot as Hex), 32)), value: RLP.encode(word) })
      }
      storageRoot = entries.length === 0 ? KECCAK256_RLP : trieRoot(entries, keccak256, onNode)
      storageRoots.set(storageKey, storageRoot)
    }
    const key = keccak256(hexToBytes(address.startsWith('0x') ? (address as Hex) : `0x${address}`))
    const account = new Account(quantity(spec.nonce), quantity(spec.balance), storageRoot, codeHash)
    accounts.push({ key, value: encodeAccount(account) })
  }
  const root = trieRoot(accounts, keccak256, onNode)
  await db.batch(writes)
  return root
}

/** The genesis header of `spec` whose alloc hashes to `stateRoot` (already computed, or already in the node DB). */
export function genesisHeader(common: Common, spec: GenesisSpec, stateRoot: Uint8Array): BlockHeader {
  return createBlockHeader(
    {
      number: 0n,
      stateRoot,
      timestamp: spec.timestamp,
      gasLimit: spec.gasLimit,
      gasUsed: 0n,
      baseFeePerGas: spec.baseFeePerGas ?? INITIAL_BASE_FEE,
      extraData: hexToBytes(spec.extraData ?? '0x'),
      coinbase: hexToBytes(spec.coinbase ?? '0x0000000000000000000000000000000000000000'),
      mixHash: hexToBytes(spec.mixHash ?? `0x${'00'.repeat(32)}`),
      difficulty: spec.difficulty ?? 0n,
      nonce: hexToBytes(spec.nonce ?? '0x0000000000000000'),
      withdrawalsRoot: KECCAK256_RLP,
      blobGasUsed: 0n,
      excessBlobGas: 0n,
      parentBeaconBlockRoot: new Uint8Array(32),
    },
    { common, skipConsensusFormatValidation: true },
  )
}
