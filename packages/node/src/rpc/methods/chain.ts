import { z } from 'zod'
import { nextBaseFee } from '../../engine/eip1559.js'
import { resolveBlockNumber } from '../context.js'
import { invalidParams } from '../errors.js'
import { quantity } from '../format.js'
import { type MethodTable, method, noParams } from '../method.js'
import { zBlockTag, zQuantity } from '../params.js'

/** Suggested tip when recent blocks had no paying txs: geth's default 1 gwei is far above an idle L2, use 1 mwei. */
const MIN_SUGGESTED_TIP = 1_000_000n
const MAX_FEE_HISTORY_BLOCKS = 1024n

/** eth_chainId, net_*, web3_*, eth_blockNumber, eth_syncing, eth_accounts, fee suggestions, eth_feeHistory. */
export const chainMethods: MethodTable = {
  eth_chainId: method(noParams, (_params, { ctx }) => quantity(ctx.engine.config.chainId)),
  net_version: method(noParams, (_params, { ctx }) => ctx.engine.config.chainId.toString()),
  net_listening: method(noParams, () => true),
  net_peerCount: method(noParams, () => '0x0'),
  web3_clientVersion: method(noParams, (_params, { ctx }) => ctx.clientVersion),
  eth_blockNumber: method(noParams, (_params, { ctx }) => quantity(ctx.store.headNumber)),
  eth_syncing: method(noParams, () => false),
  eth_accounts: method(noParams, () => []),
  eth_maxPriorityFeePerGas: method(noParams, async (_params, { ctx }) => quantity(await suggestTip(ctx.store))),
  eth_gasPrice: method(noParams, async (_params, { ctx }) => {
    const head = await ctx.store.header(ctx.store.headNumber)
    return quantity((head?.baseFeePerGas ?? 0n) + (await suggestTip(ctx.store)))
  }),
  eth_feeHistory: method(
    z.tuple([
      z.union([zQuantity, z.number().int().nonnegative().transform(BigInt)]),
      zBlockTag,
      z.array(z.number().min(0).max(100)).optional(),
    ]),
    async ([count, newest, percentiles], { ctx }) => {
      if (percentiles?.some((p, i) => i > 0 && p < percentiles[i - 1]!)) {
        throw invalidParams('invalid reward percentile: must be increasing')
      }
      const last = await resolveBlockNumber(ctx, newest)
      const head = ctx.store.headNumber
      const newestBlock = last > head ? head : last
      const blocks = count > MAX_FEE_HISTORY_BLOCKS ? MAX_FEE_HISTORY_BLOCKS : count
      const oldest = newestBlock + 1n > blocks ? newestBlock + 1n - blocks : 0n
      const baseFees: string[] = []
      const ratios: number[] = []
      const rewards: string[][] = []
      for (let n = oldest; n <= newestBlock && blocks > 0n; n++) {
        const header = await ctx.store.header(n)
        if (!header) break
        baseFees.push(quantity(header.baseFeePerGas ?? 0n))
        ratios.push(Number(header.gasUsed) / Number(header.gasLimit))
        if (percentiles) rewards.push(await blockRewards(ctx.store, n, header.baseFeePerGas ?? 0n, percentiles))
      }
      const top = await ctx.store.header(newestBlock)
      if (top && blocks > 0n) {
        baseFees.push(
          quantity(
            nextBaseFee(
              { gasLimit: top.gasLimit, gasUsed: top.gasUsed, baseFeePerGas: top.baseFeePerGas ?? 0n },
              ctx.engine.config.eip1559,
            ),
          ),
        )
      }
      return {
        oldestBlock: quantity(oldest),
        baseFeePerGas: baseFees,
        gasUsedRatio: ratios,
        baseFeePerBlobGas: baseFees.map(() => '0x0'),
        blobGasUsedRatio: ratios.map(() => 0),
        ...(percentiles ? { reward: rewards } : {}),
      }
    },
  ),
}

type Store = Parameters<MethodTable[string]>[1]['ctx']['store']

/** Tips paid in a block at the given gas-weighted percentiles (geth's feeHistory rewards). */
async function blockRewards(store: Store, number: bigint, baseFee: bigint, percentiles: number[]): Promise<string[]> {
  const [block, receipts] = await Promise.all([store.block(number), store.receipts(number)])
  const paid: { tip: bigint; gas: bigint }[] = []
  block?.transactions.forEach((tx, i) => {
    const receipt = receipts?.[i]
    if (tx.kind === 'signed' && receipt) paid.push({ tip: receipt.effectiveGasPrice - baseFee, gas: receipt.gasUsed })
  })
  if (paid.length === 0) return percentiles.map(() => '0x0')
  paid.sort((a, b) => (a.tip < b.tip ? -1 : a.tip > b.tip ? 1 : 0))
  const total = paid.reduce((sum, p) => sum + p.gas, 0n)
  return percentiles.map((p) => {
    const threshold = (total * BigInt(Math.round(p * 100))) / 10_000n
    let sum = 0n
    for (const item of paid) {
      sum += item.gas
      if (sum >= threshold) return quantity(item.tip)
    }
    return quantity(paid[paid.length - 1]!.tip)
  })
}

/** geth's oracle in short: the 60th percentile of the cheapest tips of the last 20 blocks, at least 1 mwei. */
async function suggestTip(store: Store): Promise<bigint> {
  const tips: bigint[] = []
  const head = store.headNumber
  for (let n = head; n + 20n > head && n > 0n; n--) {
    const [block, receipts] = await Promise.all([store.block(n), store.receipts(n)])
    const baseFee = block?.header.baseFeePerGas ?? 0n
    const blockTips = (block?.transactions ?? [])
      .map((tx, i) => (tx.kind === 'signed' && receipts?.[i] ? receipts[i]!.effectiveGasPrice - baseFee : undefined))
      .filter((tip): tip is bigint => tip !== undefined)
      .sort((a, b) => (a < b ? -1 : 1))
    tips.push(...blockTips.slice(0, 3))
  }
  if (tips.length === 0) return MIN_SUGGESTED_TIP
  tips.sort((a, b) => (a < b ? -1 : 1))
  const tip = tips[Math.floor(((tips.length - 1) * 60) / 100)]!
  return tip > MIN_SUGGESTED_TIP ? tip : MIN_SUGGESTED_TIP
}
