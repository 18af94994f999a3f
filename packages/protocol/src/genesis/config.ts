import { type Address, getAddress, type Hex, isAddress, isHex, parseEther, parseGwei, toHex } from 'viem'
import { z } from 'zod'

const address = z
  .string()
  .refine((a) => isAddress(a, { strict: false }), 'not a 20-byte hex address')
  .transform((a) => getAddress(a) as Address)
const amount = z.coerce.bigint().refine((v) => v >= 0n, 'must not be negative')
/** A fork activation time; `null` means the fork is not scheduled. */
const forkTime = z.number().int().nonnegative().nullable()

/** FeeVault.WithdrawalNetwork: where the vault's balance is sent on withdrawal. */
export const WithdrawalNetwork = { L1: 0, L2: 1 } as const

const feeVault = z.object({
  recipient: address,
  minWithdrawalAmount: amount.default(parseEther('10')),
  withdrawalNetwork: z.enum(['L1', 'L2']).default('L1'),
})

/**
 * What the L2 genesis depends on. Defaults follow the reference deploy config and op-chain-ops `NewL2Genesis`
 * (gas limit 30M, base fee 1 gwei, extraData "BEDROCK"); the EIP-1559 parameters are OP Mainnet's.
 */
export const L2GenesisConfigSchema = z.object({
  l1ChainId: z.number().int().positive(),
  l2ChainId: z.number().int().positive(),
  /** Seconds; also the rollup's `genesis.l2_time`. */
  timestamp: z.number().int().nonnegative(),
  gasLimit: amount.default(30_000_000n),
  baseFeePerGas: amount.default(parseGwei('1')),
  extraData: z
    .string()
    .refine((h) => isHex(h) && (h.length - 2) / 2 <= 32, 'must be hex of at most 32 bytes')
    .transform((h) => h as Hex)
    .default(toHex('BEDROCK')),
  forks: z
    .object({
      regolith: forkTime.default(0),
      canyon: forkTime.default(0),
      delta: forkTime.default(0),
      ecotone: forkTime.default(0),
      fjord: forkTime.default(0),
      granite: forkTime.default(0),
    })
    .prefault({}),
  eip1559: z
    .object({
      elasticity: z.number().int().positive().default(6),
      denominator: z.number().int().positive().default(50),
      denominatorCanyon: z.number().int().positive().default(250),
    })
    .prefault({}),
  /** L1 proxies the L2 side points back to. */
  l1: z.object({
    L1CrossDomainMessenger: address,
    L1StandardBridge: address,
    L1ERC721Bridge: address,
  }),
  proxyAdminOwner: address,
  feeVaults: z.object({ sequencer: feeVault, base: feeVault, l1: feeVault }),
  fundedAccounts: z.array(z.object({ address, balance: amount })).default([]),
})

export type L2GenesisConfig = z.output<typeof L2GenesisConfigSchema>
export type L2GenesisConfigInput = z.input<typeof L2GenesisConfigSchema>
