import { decodeL1BlockInfo, parseRollupConfig, type RollupConfig, syncStatusJson } from '@opl/protocol'
import {
  type Address,
  createPublicClient,
  type Hex,
  http,
  type PublicClient,
  type Signature,
  serializeTransaction,
  type TransactionSerializable,
  toHex,
} from 'viem'
import { z } from 'zod'
import { BlockNotFoundError, RpcShapeError } from '../errors.js'
import type { L2Block, L2Source, SyncStatus } from './types.js'

const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/) as unknown as z.ZodType<Hex>
const quantity = z.string().regex(/^0x[0-9a-fA-F]+$/)
const hexData = z.string().regex(/^0x[0-9a-fA-F]*$/) as unknown as z.ZodType<Hex>
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/) as unknown as z.ZodType<Address>
const accessList = z.array(z.object({ address, storageKeys: z.array(hash) }))

/** op-geth's JSON for a transaction in a full block (the fields a batch needs). */
const txJson = z.object({
  type: quantity,
  nonce: quantity.optional(),
  gas: quantity.optional(),
  gasPrice: quantity.nullish(),
  maxFeePerGas: quantity.nullish(),
  maxPriorityFeePerGas: quantity.nullish(),
  to: address.nullish(),
  value: quantity.optional(),
  input: hexData,
  chainId: quantity.nullish(),
  accessList: accessList.nullish(),
  v: quantity.optional(),
  r: quantity.optional(),
  s: quantity.optional(),
  yParity: quantity.nullish(),
})
type TxJson = z.output<typeof txJson>

const blockJson = z.object({
  number: quantity,
  hash,
  parentHash: hash,
  timestamp: quantity,
  transactions: z.array(txJson),
})

export type RpcL2SourceOptions = { l2Rpc: string; rollupRpc: string; timeoutMs?: number }

/**
 * The node over JSON-RPC: `optimism_syncStatus` on the rollup RPC (op-node), `eth_getBlockByNumber(n, true)` on the
 * L2 eth RPC (op-geth). Transactions come back as JSON objects and are re-serialized to their EIP-2718 bytes with
 * their signatures; the first deposit (L1-info) gives the block's L1 origin, other deposits are left out.
 */
export class RpcL2Source implements L2Source {
  private readonly l2: PublicClient
  private readonly rollup: PublicClient

  constructor(options: RpcL2SourceOptions) {
    const transport = (url: string) => http(url, { timeout: options.timeoutMs ?? 10_000, retryCount: 0 })
    this.l2 = createPublicClient({ transport: transport(options.l2Rpc) })
    this.rollup = createPublicClient({ transport: transport(options.rollupRpc) })
  }

  async syncStatus(): Promise<SyncStatus> {
    const raw: unknown = await this.rollup.request({
      method: 'optimism_syncStatus' as 'eth_chainId',
      params: undefined,
    })
    const parsed = syncStatusJson.safeParse(raw)
    if (!parsed.success)
      throw new RpcShapeError('optimism_syncStatus answer has not op-node shape', { issues: parsed.error.issues })
    const s = parsed.data
    return {
      currentL1: s.current_l1,
      headL1: s.head_l1,
      safeL1: s.safe_l1,
      finalizedL1: s.finalized_l1,
      unsafeL2: s.unsafe_l2,
      safeL2: s.safe_l2,
      finalizedL2: s.finalized_l2,
    }
  }

  /** op-node `optimism_rollupConfig`, parsed with the protocol package's rollup.json schema. */
  async rollupConfig(): Promise<RollupConfig> {
    return parseRollupConfig(
      await this.rollup.request({ method: 'optimism_rollupConfig' as 'eth_chainId', params: undefined }),
    )
  }

  async blockByNumber(number: bigint): Promise<L2Block> {
    const raw: unknown = await this.l2.request({
      method: 'eth_getBlockByNumber',
      params: [toHex(number), true] as [Hex, true],
    })
    if (raw === null) throw new BlockNotFoundError(`no L2 block ${number}`, { number })
    const parsed = blockJson.safeParse(raw)
    if (!parsed.success)
      throw new RpcShapeError('eth_getBlockByNumber answer has not op-geth shape', {
        number,
        issues: parsed.error.issues,
      })
    return toL2Block(parsed.data)
  }
}

export function toL2Block(block: z.output<typeof blockJson>): L2Block {
  const [first, ...rest] = block.transactions
  if (first?.type !== '0x7e')
    throw new RpcShapeError('block does not start with the L1-info deposit', { number: block.number })
  const origin = l1InfoOrigin(first.input, block.number)
  return {
    number: BigInt(block.number),
    hash: block.hash,
    parentHash: block.parentHash,
    timestamp: BigInt(block.timestamp),
    l1Origin: { number: origin.number, hash: origin.blockHash },
    sequenceNumber: origin.sequenceNumber,
    transactions: rest.filter((tx) => tx.type !== '0x7e').map(rawTransaction),
  }
}

/** Rebuilds a signed tx's EIP-2718 bytes from its JSON (legacy, 2930, 1559). */
export function rawTransaction(tx: TxJson): Hex {
  const big = (v: string | null | undefined) => (v == null ? undefined : BigInt(v))
  const base = {
    nonce: Number(big(tx.nonce) ?? 0n),
    gas: big(tx.gas),
    to: tx.to ?? null,
    value: big(tx.value),
    data: tx.input,
  }
  let unsigned: TransactionSerializable
  const chainId = tx.chainId == null ? undefined : Number(BigInt(tx.chainId))
  if (tx.type === '0x0') {
    // Pre-EIP-155 txs have v 27/28 and no chain id; op-geth still reports chainId for them in some versions.
    const v = big(tx.v) ?? 0n
    const protectedTx = v !== 27n && v !== 28n
    unsigned = {
      ...base,
      type: 'legacy',
      gasPrice: big(tx.gasPrice),
      ...(protectedTx && chainId !== undefined ? { chainId } : {}),
    }
  } else if (tx.type === '0x1') {
    unsigned = {
      ...base,
      type: 'eip2930',
      chainId: chainId ?? 0,
      gasPrice: big(tx.gasPrice),
      accessList: tx.accessList ?? [],
    }
  } else if (tx.type === '0x2') {
    unsigned = {
      ...base,
      type: 'eip1559',
      chainId: chainId ?? 0,
      maxFeePerGas: big(tx.maxFeePerGas),
      maxPriorityFeePerGas: big(tx.maxPriorityFeePerGas),
      accessList: tx.accessList ?? [],
    }
  } else {
    throw new RpcShapeError('tx type a batch cannot carry', { type: tx.type })
  }
  const r = toHex(big(tx.r) ?? 0n, { size: 32 })
  const s = toHex(big(tx.s) ?? 0n, { size: 32 })
  const signature: Signature =
    tx.type === '0x0' ? { r, s, v: big(tx.v) ?? 0n } : { r, s, yParity: Number(big(tx.yParity ?? tx.v) ?? 0n) }
  return serializeTransaction(unsigned, signature)
}

/** The L1 origin of a block from its first (L1-info) transaction, as op-batcher's `L1BlockInfoFromBytes`. */
function l1InfoOrigin(input: Hex, blockNumber: unknown) {
  try {
    return decodeL1BlockInfo(input)
  } catch (error) {
    throw new RpcShapeError('first tx is not an L1-info deposit', { number: blockNumber, cause: String(error) })
  }
}
