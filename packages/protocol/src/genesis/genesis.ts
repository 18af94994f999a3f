import { type Address, type Hex, numberToHex, pad } from 'viem'
import { type Alloc, buildL2Alloc } from './alloc.js'
import type { GenesisArtifacts } from './artifacts.js'
import { type L2ChainConfig, l2ChainConfig } from './chain-config.js'
import { type L2GenesisConfig, type L2GenesisConfigInput, L2GenesisConfigSchema } from './config.js'
import { GenesisError } from './errors.js'
import { type BlockHeader, blockHash, genesisHeader } from './header.js'
import { predeploys } from './predeploys.js'
import { type Keccak, stateRoot } from './state-root.js'
import type { Storage } from './storage-layout.js'

export type GethGenesisAccount = { balance: Hex; nonce?: Hex; code?: Hex; storage?: Storage }

/** geth's genesis.json (`core.Genesis`), as op-geth and anvil `--init` read it. */
export type GethGenesis = {
  config: L2ChainConfig
  nonce: Hex
  timestamp: Hex
  extraData: Hex
  gasLimit: Hex
  difficulty: Hex
  mixHash: Hex
  coinbase: Address
  number: Hex
  gasUsed: Hex
  parentHash: Hex
  baseFeePerGas: Hex
  excessBlobGas?: Hex
  blobGasUsed?: Hex
  alloc: Record<string, GethGenesisAccount>
}

export type L2Genesis = {
  config: L2GenesisConfig
  alloc: Alloc
  genesis: GethGenesis
  stateRoot: Hex
  header: BlockHeader
  hash: Hex
}

/** Parses the config with the offending field named in the error's `details`. */
export function parseL2GenesisConfig(input: L2GenesisConfigInput): L2GenesisConfig {
  const parsed = L2GenesisConfigSchema.safeParse(input)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const field = issue.path.join('.')
  throw new GenesisError(`invalid L2 genesis config: ${field || '(root)'}: ${issue.message}`, {
    field,
    issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
  })
}

/** Accounts sorted by address, as `jq -S` leaves the reference allocs; values in geth's hex spelling. */
export function toGethAlloc(alloc: Alloc): Record<string, GethGenesisAccount> {
  const out: Record<string, GethGenesisAccount> = {}
  for (const address of [...alloc.keys()].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))) {
    const entry = alloc.get(address)!
    const storageKeys = Object.keys(entry.storage).sort() as Hex[]
    out[address.toLowerCase()] = {
      balance: numberToHex(entry.balance),
      ...(entry.nonce ? { nonce: numberToHex(entry.nonce) } : {}),
      ...(entry.code ? { code: entry.code } : {}),
      ...(storageKeys.length ? { storage: Object.fromEntries(storageKeys.map((k) => [k, entry.storage[k]!])) } : {}),
    }
  }
  return out
}

/**
 * Builds the L2 genesis: the state (see `buildL2Alloc`), geth's genesis.json with the OP fork times, and the genesis
 * block header and hash that the execution engine derives from them and that rollup.json must name as `genesis.l2`.
 */
export async function buildL2Genesis(
  input: L2GenesisConfigInput,
  artifacts: GenesisArtifacts,
  options: { keccak?: Keccak } = {},
): Promise<L2Genesis> {
  const config = parseL2GenesisConfig(input)
  const { forks, timestamp } = config
  for (const [fork, time] of Object.entries(forks))
    if (time !== null && time > timestamp)
      throw new GenesisError(`fork ${fork} is scheduled after genesis; only forks active at genesis are supported`, {
        field: `forks.${fork}`,
        time,
        genesisTime: timestamp,
      })
  const alloc = buildL2Alloc(config, artifacts)
  const root = await stateRoot(alloc, options.keccak)
  const shanghai = forks.canyon !== null
  const cancun = forks.ecotone !== null
  const header = genesisHeader({
    stateRoot: root,
    coinbase: predeploys.SequencerFeeVault,
    gasLimit: config.gasLimit,
    timestamp: BigInt(timestamp),
    extraData: config.extraData,
    baseFeePerGas: config.baseFeePerGas,
    shanghai,
    cancun,
  })
  const genesis: GethGenesis = {
    config: l2ChainConfig(config),
    nonce: '0x0',
    timestamp: numberToHex(timestamp),
    extraData: config.extraData,
    gasLimit: numberToHex(config.gasLimit),
    difficulty: '0x0',
    mixHash: pad('0x', { size: 32 }),
    coinbase: predeploys.SequencerFeeVault,
    number: '0x0',
    gasUsed: '0x0',
    parentHash: pad('0x', { size: 32 }),
    baseFeePerGas: numberToHex(config.baseFeePerGas),
    ...(cancun ? { excessBlobGas: '0x0' as Hex, blobGasUsed: '0x0' as Hex } : {}),
    alloc: toGethAlloc(alloc),
  }
  return { config, alloc, genesis, stateRoot: root, header, hash: blockHash(header) }
}
