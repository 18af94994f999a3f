import { type BlockHeader, createBlockHeader } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { MerkleStateManager } from '@ethereumjs/statemanager'
import { Account, Address, hexToBytes, KECCAK256_RLP, setLengthLeft, unpadBytes } from '@ethereumjs/util'
import type { Hex } from 'viem'

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

/** Writes the alloc into `state` (storage values are stored without leading zeros; zero values are absent, as geth). */
export async function applyGenesisAlloc(state: MerkleStateManager, alloc: GenesisAlloc): Promise<void> {
  // An OP genesis has ~2,000 predeploy proxies with one code: decode each distinct code once.
  const codes = new Map<Hex, Uint8Array>()
  for (const [address, spec] of Object.entries(alloc)) {
    const addr = new Address(hexToBytes(address.startsWith('0x') ? (address as Hex) : `0x${address}`))
    await state.putAccount(addr, new Account(quantity(spec.nonce), quantity(spec.balance)))
    if (spec.code && spec.code !== '0x') {
      const code = codes.get(spec.code) ?? hexToBytes(spec.code)
      codes.set(spec.code, code)
      await state.putCode(addr, code)
    }
    for (const [slot, value] of Object.entries(spec.storage ?? {})) {
      const bytes = unpadBytes(hexToBytes(value as Hex))
      if (bytes.length === 0) continue
      await state.putStorage(addr, setLengthLeft(hexToBytes(slot as Hex), 32), bytes)
    }
  }
}

/**
 * Loads the alloc and returns the genesis header as op-geth builds it for a Cancun-at-genesis chain: empty
 * withdrawals root, blobGasUsed = excessBlobGas = 0, zero parentBeaconBlockRoot.
 */
export async function createGenesis(
  common: Common,
  state: MerkleStateManager,
  spec: GenesisSpec,
): Promise<BlockHeader> {
  await applyGenesisAlloc(state, spec.alloc)
  return genesisHeader(common, spec, await state.getStateRoot())
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
