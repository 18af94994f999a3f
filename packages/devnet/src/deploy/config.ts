import { batchInboxAddressFor } from '@opl/protocol'
import { type Address, getAddress, type Hex, isAddress, isHex } from 'viem'
import { z } from 'zod'

const address = z
  .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') })
  .refine((a) => isAddress(a, { strict: false }), 'is not a 20-byte hex address')
  .transform((a) => getAddress(a) as Address)
/** A number from a flag, env var or JSON: strings are converted, a missing value says so. */
const number = () =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? undefined : typeof v === 'string' ? Number(v) : v),
    z.number({ error: (i) => (i.input === undefined ? 'is required' : 'must be a number') }).int('must be an integer'),
  )
const uint = number().refine((v) => v >= 0, 'must not be negative')
const positive = number().refine((v) => v > 0, 'must be positive')

/** 7 days: the production finalization (withdrawal challenge) period. */
export const PRODUCTION_FINALIZATION_PERIOD_SECONDS = 604_800

/** The deploy-config convention 0xff00…<l2 chain id digits>: an address no one holds the key of. */
export const defaultBatchInbox = (l2ChainId: number): Address => batchInboxAddressFor(l2ChainId, 'legacy')

/**
 * Everything the L1 deploy needs. Addresses default to the deployer where the reference deploy config lets one
 * account play every role on a devnet; the scalars are OP Mainnet's Ecotone values; ResourceConfig is fixed to
 * Constants.DEFAULT_RESOURCE_CONFIG.
 */
export const DeployConfigSchema = z
  .object({
    l1Rpc: z.url({ error: 'is not a URL' }),
    /** When set, the deploy refuses an L1 with another chain id. */
    l1ChainId: positive.optional(),
    deployerKey: z
      .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') })
      .refine((k) => isHex(k) && k.length === 66, 'is not a 32-byte hex private key')
      .transform((k) => k as Hex),
    l2ChainId: positive,
    /** Mixed into every CREATE2 salt: another salt gives another, independent set of addresses. */
    salt: z.string().default('openledger-l2'),
    batcher: address,
    proposer: address,
    challenger: address.optional(),
    guardian: address.optional(),
    systemOwner: address.optional(),
    proxyAdminOwner: address.optional(),
    unsafeBlockSigner: address.optional(),
    batchInbox: address.optional(),
    openHolder: address.optional(),
    l2GasLimit: positive.default(30_000_000),
    basefeeScalar: uint.default(1368),
    blobbasefeeScalar: uint.default(810_949),
    l2BlockTime: positive.default(2),
    submissionInterval: positive.default(120),
    finalizationPeriodSeconds: uint.default(PRODUCTION_FINALIZATION_PERIOD_SECONDS),
    l2StartingBlockNumber: uint.default(0),
  })
  .strict()

export type DeployConfig = z.output<typeof DeployConfigSchema>
export type DeployConfigInput = z.input<typeof DeployConfigSchema>

export class DeployConfigError extends Error {
  override name = 'DeployConfigError'
  constructor(
    message: string,
    readonly details: { field: string; issues: { field: string; message: string }[] },
  ) {
    super(message)
  }
}

/** Parses the config; the error names every bad field (never its value: one of them is a key). */
export function parseDeployConfig(input: Record<string, unknown>): DeployConfig {
  const parsed = DeployConfigSchema.safeParse(input)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((i) => ({
    field: i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : '(root)'),
    message: i.message,
  }))
  throw new DeployConfigError(`invalid deploy config: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`, {
    field: issues[0]!.field,
    issues,
  })
}
