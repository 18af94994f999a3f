import { type Address, type Hex, keccak256, pad, toRlp } from 'viem'
import { EMPTY_TRIE_ROOT, rlpInt } from './state-root.js'

export const EMPTY_UNCLES_HASH: Hex = '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347'
const ZERO_HASH: Hex = pad('0x', { size: 32 })

/** A block header in JSON-RPC spelling; the post-London fields are present only when their fork is active. */
export type BlockHeader = {
  parentHash: Hex
  sha3Uncles: Hex
  miner: Address
  stateRoot: Hex
  transactionsRoot: Hex
  receiptsRoot: Hex
  logsBloom: Hex
  difficulty: bigint
  number: bigint
  gasLimit: bigint
  gasUsed: bigint
  timestamp: bigint
  extraData: Hex
  mixHash: Hex
  nonce: Hex
  baseFeePerGas: bigint
  withdrawalsRoot?: Hex
  blobGasUsed?: bigint
  excessBlobGas?: bigint
  parentBeaconBlockRoot?: Hex
}

export type GenesisHeaderInput = {
  stateRoot: Hex
  coinbase: Address
  gasLimit: bigint
  timestamp: bigint
  extraData: Hex
  baseFeePerGas: bigint
  shanghai: boolean
  cancun: boolean
}

/**
 * The header geth's `Genesis.ToBlock` builds: no transactions, receipts or uncles; an empty withdrawals list from
 * Shanghai; zero blob gas and a zero parent beacon root from Cancun.
 */
export function genesisHeader(input: GenesisHeaderInput): BlockHeader {
  return {
    parentHash: ZERO_HASH,
    sha3Uncles: EMPTY_UNCLES_HASH,
    miner: input.coinbase,
    stateRoot: input.stateRoot,
    transactionsRoot: EMPTY_TRIE_ROOT,
    receiptsRoot: EMPTY_TRIE_ROOT,
    logsBloom: pad('0x', { size: 256 }),
    difficulty: 0n,
    number: 0n,
    gasLimit: input.gasLimit,
    gasUsed: 0n,
    timestamp: input.timestamp,
    extraData: input.extraData,
    mixHash: ZERO_HASH,
    nonce: pad('0x', { size: 8 }),
    baseFeePerGas: input.baseFeePerGas,
    ...(input.shanghai ? { withdrawalsRoot: EMPTY_TRIE_ROOT } : {}),
    ...(input.cancun ? { blobGasUsed: 0n, excessBlobGas: 0n, parentBeaconBlockRoot: ZERO_HASH } : {}),
  }
}

/** keccak256 of the RLP header, fields in consensus order. */
export function blockHash(header: BlockHeader): Hex {
  const fields: Hex[] = [
    header.parentHash,
    header.sha3Uncles,
    header.miner,
    header.stateRoot,
    header.transactionsRoot,
    header.receiptsRoot,
    header.logsBloom,
    rlpInt(header.difficulty),
    rlpInt(header.number),
    rlpInt(header.gasLimit),
    rlpInt(header.gasUsed),
    rlpInt(header.timestamp),
    header.extraData,
    header.mixHash,
    header.nonce,
    rlpInt(header.baseFeePerGas),
  ]
  if (header.withdrawalsRoot) fields.push(header.withdrawalsRoot)
  if (header.blobGasUsed !== undefined) fields.push(rlpInt(header.blobGasUsed), rlpInt(header.excessBlobGas ?? 0n))
  if (header.parentBeaconBlockRoot) fields.push(header.parentBeaconBlockRoot)
  return keccak256(toRlp(fields))
}
