import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import { Bloom } from '@ethereumjs/vm'
import type { Hex } from 'viem'
import type { EngineReceipt } from '../engine/receipts.js'
import type { StoredBlock } from '../store/chain-store.js'
import type { RpcContext } from './context.js'
import { resolveBlockNumber } from './context.js'
import { RpcError, RpcErrorCode } from './errors.js'
import { formatLog } from './format.js'
import type { LogFilter } from './params.js'

type Criteria = { addresses: Hex[]; topics: (Hex[] | null)[] }

export function criteriaOf(filter: LogFilter): Criteria {
  const addresses = (filter.address === undefined ? [] : [filter.address].flat()).map((a) => a.toLowerCase() as Hex)
  const topics = (filter.topics ?? []).map((t) => (t === null ? null : [t].flat().map((x) => x.toLowerCase() as Hex)))
  return { addresses, topics }
}

/** The header bloom may contain everything the filter needs (false positives possible, no false negatives). */
function bloomMayMatch(bloom: Uint8Array, criteria: Criteria): boolean {
  const b = new Bloom(bloom)
  if (criteria.addresses.length && !criteria.addresses.some((a) => b.check(hexToBytes(a)))) return false
  return criteria.topics.every((alts) => alts === null || alts.length === 0 || alts.some((t) => b.check(hexToBytes(t))))
}

/** The matching logs of one block, formatted; `removed` for the logs of a block a rewind dropped (geth's reorg logs). */
export function blockLogs(
  block: StoredBlock,
  receipts: EngineReceipt[],
  criteria: Criteria,
  removed = false,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  let logIndex = 0
  receipts.forEach((receipt, txIndex) => {
    const txHash = bytesToHex(block.transactions[txIndex]!.hash) as Hex
    for (const log of receipt.logs) {
      const index = logIndex++
      const [address, topics] = log
      if (criteria.addresses.length && !criteria.addresses.includes(bytesToHex(address) as Hex)) continue
      const ok = criteria.topics.every((alts, i) => {
        if (alts === null || alts.length === 0) return true
        const topic = topics[i]
        return topic !== undefined && alts.includes(bytesToHex(topic) as Hex)
      })
      if (!ok) continue
      out.push(
        formatLog(
          log,
          {
            blockHash: block.hash,
            blockNumber: block.header.number,
            timestamp: block.header.timestamp,
            txHash,
            txIndex,
          },
          index,
          removed,
        ),
      )
    }
  })
  return out
}

/** eth_getLogs: scans the range, skipping blocks whose header bloom rules the filter out. */
export async function getLogs(ctx: RpcContext, filter: LogFilter): Promise<Record<string, unknown>[]> {
  const criteria = criteriaOf(filter)
  let from: bigint
  let to: bigint
  if (filter.blockHash) {
    if (filter.fromBlock !== undefined || filter.toBlock !== undefined) {
      throw new RpcError(
        RpcErrorCode.invalidParams,
        'cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other',
      )
    }
    const number = await ctx.store.numberOf(filter.blockHash)
    if (number === undefined) throw new RpcError(RpcErrorCode.server, 'unknown block')
    from = number
    to = number
  } else {
    from = await resolveBlockNumber(ctx, filter.fromBlock ?? 'latest')
    to = await resolveBlockNumber(ctx, filter.toBlock ?? 'latest')
    if (to > ctx.store.headNumber) to = ctx.store.headNumber
    if (from > to) {
      if (filter.fromBlock !== undefined && from > ctx.store.headNumber) return []
      throw new RpcError(RpcErrorCode.invalidParams, 'invalid block range params')
    }
    if (to - from >= ctx.limits.logsBlockRange) {
      throw new RpcError(RpcErrorCode.limitExceeded, `block range greater than ${ctx.limits.logsBlockRange} max`)
    }
  }
  const out: Record<string, unknown>[] = []
  for (let n = from; n <= to; n++) {
    const header = await ctx.store.header(n)
    if (!header || !bloomMayMatch(header.logsBloom, criteria)) continue
    const [block, receipts] = await Promise.all([ctx.store.block(n), ctx.store.receipts(n)])
    if (!block || !receipts) continue
    out.push(...blockLogs(block, receipts, criteria))
    if (out.length > ctx.limits.logsMaxResults) {
      throw new RpcError(RpcErrorCode.limitExceeded, `query returned more than ${ctx.limits.logsMaxResults} results`)
    }
  }
  return out
}
