import { readFile } from 'node:fs/promises'
import { type Chain, defineChain } from 'viem'
import { z } from 'zod'
import { InvalidInputError } from '../errors.js'

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/) as unknown as z.ZodType<`0x${string}`>
const key = z.string().regex(/^0x[0-9a-fA-F]{64}$/) as unknown as z.ZodType<`0x${string}`>
const account = z.object({ address, privateKey: key })

/** The parts of the devnet's devnet.json (DESIGN.md "Interfaces others rely on") the attribution service uses. */
export const DevnetFile = z.object({
  l1: z.object({ rpc: z.url(), chainId: z.number().int() }),
  l2: z.object({ rpc: z.url(), chainId: z.number().int() }),
  daServer: z.url(),
  contracts: z.object({
    l1: z.object({ L1StandardBridge: address, OPEN: address }),
    l2: z.object({ OPEN: address, DatanetRegistry: address, ModelRegistry: address, AttributionRewards: address }),
  }),
  accounts: z.object({ deployer: account, users: z.array(account) }),
})
export type DevnetFile = z.output<typeof DevnetFile>

/** Reads and checks devnet.json; the error names the missing or malformed fields. */
export async function readDevnetFile(path: string): Promise<DevnetFile> {
  let json: unknown
  try {
    json = JSON.parse(await readFile(path, 'utf8'))
  } catch (err) {
    throw new InvalidInputError('cannot read devnet.json', { path, cause: (err as Error).message })
  }
  const parsed = DevnetFile.safeParse(json)
  if (!parsed.success)
    throw new InvalidInputError('devnet.json lacks what the attribution service needs', {
      path,
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    })
  return parsed.data
}

/** viem chains for the devnet's L1 and L2 (wallet writes need one). */
export function devnetChains(devnet: DevnetFile): { l1: Chain; l2: Chain } {
  const chain = (id: number, name: string, rpc: string) =>
    defineChain({
      id,
      name,
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [rpc] } },
    })
  return {
    l1: chain(devnet.l1.chainId, 'devnet L1', devnet.l1.rpc),
    l2: chain(devnet.l2.chainId, 'OpenLedger L2 devnet', devnet.l2.rpc),
  }
}
