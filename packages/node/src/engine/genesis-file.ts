import { readFile } from 'node:fs/promises'
import type { Hex } from 'viem'
import { z } from 'zod'
import type { GenesisSpec } from './genesis.js'

const zNum = z.union([z.string(), z.number()]).transform((v) => BigInt(v))

/** The parts of a geth genesis.json the node reads. */
const GenesisFile = z.object({
  config: z.object({ chainId: zNum }).passthrough(),
  alloc: z.record(z.string(), z.object({}).passthrough()),
  timestamp: zNum.default(0n),
  gasLimit: zNum,
  baseFeePerGas: zNum.optional(),
  extraData: z.string().optional(),
  coinbase: z.string().optional(),
  mixHash: z.string().optional(),
  difficulty: zNum.optional(),
  nonce: z.string().optional(),
})

export async function readGenesisFile(path: string): Promise<{ chainId: bigint; spec: GenesisSpec }> {
  const json = GenesisFile.parse(JSON.parse(await readFile(path, 'utf8')))
  const spec: GenesisSpec = {
    alloc: json.alloc as GenesisSpec['alloc'],
    timestamp: json.timestamp,
    gasLimit: json.gasLimit,
    ...(json.baseFeePerGas !== undefined ? { baseFeePerGas: json.baseFeePerGas } : {}),
    ...(json.extraData ? { extraData: json.extraData as Hex } : {}),
    ...(json.coinbase ? { coinbase: json.coinbase as Hex } : {}),
    ...(json.mixHash ? { mixHash: json.mixHash as Hex } : {}),
    ...(json.difficulty !== undefined ? { difficulty: json.difficulty } : {}),
    ...(json.nonce ? { nonce: json.nonce as Hex } : {}),
  }
  return { chainId: json.config.chainId, spec }
}
