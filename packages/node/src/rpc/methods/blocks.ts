import type { Hex } from 'viem'
import { z } from 'zod'
import type { RpcContext } from '../context.js'
import { resolveBlockNumber } from '../context.js'
import { formatBlock, formatBlockReceipts, formatTransaction, formatTransactionReceipt, quantity } from '../format.js'
import { type MethodTable, method } from '../method.js'
import { zBlockRef, zBlockTag, zHash, zQuantity } from '../params.js'

/** A canonical block by number, or undefined (→ JSON null, as geth for unknown blocks). */
async function blockAt(ctx: RpcContext, number: bigint) {
  return number <= ctx.store.headNumber ? ctx.store.block(number) : undefined
}

async function blockByHash(ctx: RpcContext, hash: Hex) {
  const number = await ctx.store.numberOf(hash)
  return number === undefined ? undefined : ctx.store.block(number)
}

async function txInBlock(ctx: RpcContext, number: bigint | undefined, index: bigint) {
  if (number === undefined) return null
  const block = await blockAt(ctx, number)
  const tx = block?.transactions[Number(index)]
  if (!block || !tx) return null
  const receipts = tx.kind === 'deposit' ? await ctx.store.receipts(number) : undefined
  return formatTransaction(
    tx,
    { blockHash: block.hash, blockNumber: number, index: Number(index), baseFee: block.header.baseFeePerGas ?? 0n },
    receipts?.[Number(index)],
  )
}

/** Blocks, transactions and receipts from the store; pool txs for eth_getTransactionByHash of pending txs. */
export const blockMethods: MethodTable = {
  eth_getBlockByNumber: method(z.tuple([zBlockTag, z.boolean().optional()]), async ([tag, full], { ctx }) => {
    const block = await blockAt(ctx, await resolveBlockNumber(ctx, tag))
    if (!block) return null
    return formatBlock(block, full ?? false, full ? await ctx.store.receipts(block.header.number) : undefined)
  }),
  eth_getBlockByHash: method(z.tuple([zHash, z.boolean().optional()]), async ([hash, full], { ctx }) => {
    const block = await blockByHash(ctx, hash)
    if (!block) return null
    return formatBlock(block, full ?? false, full ? await ctx.store.receipts(block.header.number) : undefined)
  }),
  eth_getBlockTransactionCountByNumber: method(z.tuple([zBlockTag]), async ([tag], { ctx }) => {
    const block = await blockAt(ctx, await resolveBlockNumber(ctx, tag))
    return block ? quantity(block.transactions.length) : null
  }),
  eth_getBlockTransactionCountByHash: method(z.tuple([zHash]), async ([hash], { ctx }) => {
    const block = await blockByHash(ctx, hash)
    return block ? quantity(block.transactions.length) : null
  }),
  eth_getUncleCountByBlockNumber: method(z.tuple([zBlockTag]), () => '0x0'),
  eth_getUncleCountByBlockHash: method(z.tuple([zHash]), () => '0x0'),
  eth_getBlockReceipts: method(z.tuple([zBlockRef]), async ([ref], { ctx }) => {
    const block = await blockAt(ctx, await resolveBlockNumber(ctx, ref))
    const receipts = block && (await ctx.store.receipts(block.header.number))
    return block && receipts ? formatBlockReceipts(block, receipts) : null
  }),
  eth_getTransactionByHash: method(z.tuple([zHash]), async ([hash], { ctx }) => {
    const location = await ctx.store.txLocation(hash)
    if (location) return txInBlock(ctx, location.blockNumber, BigInt(location.index))
    const pending = ctx.pool.get(hash)
    return pending ? formatTransaction(pending.tx) : null
  }),
  eth_getTransactionByBlockNumberAndIndex: method(z.tuple([zBlockTag, zQuantity]), async ([tag, index], { ctx }) =>
    txInBlock(ctx, await resolveBlockNumber(ctx, tag), index),
  ),
  eth_getTransactionByBlockHashAndIndex: method(z.tuple([zHash, zQuantity]), async ([hash, index], { ctx }) =>
    txInBlock(ctx, await ctx.store.numberOf(hash), index),
  ),
  eth_getRawTransactionByHash: method(z.tuple([zHash]), async ([hash], { ctx }) => {
    const location = await ctx.store.txLocation(hash)
    const tx = location
      ? (await ctx.store.block(location.blockNumber))?.transactions[location.index]
      : ctx.pool.get(hash)?.tx
    return tx ? (`0x${Buffer.from(tx.raw).toString('hex')}` as Hex) : null
  }),
  eth_getTransactionReceipt: method(z.tuple([zHash]), async ([hash], { ctx }) => {
    // the tx index is written in the block's batch: a receipt is only ever served for a durable block
    const location = await ctx.store.txLocation(hash)
    if (!location) return null
    const [block, receipts] = await Promise.all([
      ctx.store.block(location.blockNumber),
      ctx.store.receipts(location.blockNumber),
    ])
    if (!block || !receipts) return null
    return formatTransactionReceipt(block, receipts, location.index)
  }),
}
