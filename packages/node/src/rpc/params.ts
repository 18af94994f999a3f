import { z } from 'zod'

/** Parameter schemas; a mismatch becomes -32602 with zod's message. Hex quantities follow the Ethereum JSON-RPC spec. */
export const zQuantity = z
  .string()
  .regex(/^0x(0|[1-9a-fA-F][0-9a-fA-F]*)$/, 'expected a hex quantity')
  .transform((value) => BigInt(value))
export const zData = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, 'expected hex data') as z.ZodType<`0x${string}`>
export const zHash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hash') as z.ZodType<`0x${string}`>
export const zAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected an address') as z.ZodType<`0x${string}`>
export const zBlockTag = z.union([z.enum(['latest', 'earliest', 'pending', 'safe', 'finalized']), zQuantity])
/** A block tag, or an EIP-1898 block reference. */
export const zBlockRef = z.union([
  zBlockTag,
  z.object({ blockHash: zHash, requireCanonical: z.boolean().optional() }),
  z.object({ blockNumber: zQuantity }),
])
export type BlockRef = z.infer<typeof zBlockRef>

export const zCallRequest = z.object({
  from: zAddress.optional(),
  to: zAddress.nullish(),
  gas: zQuantity.optional(),
  gasPrice: zQuantity.optional(),
  maxFeePerGas: zQuantity.optional(),
  maxPriorityFeePerGas: zQuantity.optional(),
  value: zQuantity.optional(),
  data: zData.optional(),
  input: zData.optional(),
  nonce: zQuantity.optional(),
  type: z.string().optional(),
  chainId: zQuantity.optional(),
  accessList: z.array(z.object({ address: zAddress, storageKeys: z.array(zHash) })).optional(),
})
export type CallRequest = z.infer<typeof zCallRequest>

export const zStateOverride = z.record(
  zAddress,
  z.object({
    balance: zQuantity.optional(),
    nonce: zQuantity.optional(),
    code: zData.optional(),
    state: z.record(zHash, zHash).optional(),
    stateDiff: z.record(zHash, zHash).optional(),
  }),
)
export type StateOverride = z.infer<typeof zStateOverride>

const zTopic = z.union([zHash, z.array(zHash), z.null()])
export const zLogFilter = z.object({
  fromBlock: zBlockTag.optional(),
  toBlock: zBlockTag.optional(),
  blockHash: zHash.optional(),
  address: z.union([zAddress, z.array(zAddress)]).optional(),
  topics: z.array(zTopic).max(4).optional(),
})
export type LogFilter = z.infer<typeof zLogFilter>
