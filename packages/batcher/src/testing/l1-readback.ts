import {
  type BatchData,
  ChannelAssembler,
  decodeCommitment,
  deriveSpanBatch,
  type Frame,
  parseBatcherTxData,
  parseFrames,
  type RollupConfig,
  readChannel,
} from '@opl/protocol'
import { type Address, type Hex, hexToBytes, type PublicClient } from 'viem'
import type { DaClient } from '../da/da-client.js'

/** One L2 block as derivation recovers it from L1: what a batch says about it. */
export type DecodedBlock = { timestamp: bigint; epochNumber: bigint; transactions: Hex[] }

export type ReadbackChannel = { id: Hex; batches: BatchData[]; blocks: DecodedBlock[]; l1Blocks: bigint[] }

export type Readback = {
  /** Batcher txs by what their calldata starts with. */
  commitmentTxs: number
  calldataTxs: number
  /** Calldata bytes of every batcher tx. */
  l1Bytes: number
  /** DA payloads fetched for commitments (each must start with the 0x00 derivation version). */
  daPayloads: Uint8Array[]
  /** Complete channels in the order their last frame landed. */
  channels: ReadbackChannel[]
  /** In L1 order: 'da' or 'calldata', one per batcher tx. */
  kinds: ('da' | 'calldata')[]
}

/**
 * Reads every tx to `inbox` from `batcher` in L1 blocks [from, to] and decodes it as derivation would: alt-DA
 * commitments are fetched from the DA server, frames assembled per channel, channels decompressed and batches
 * decoded with the protocol package. Test and bench tool; the node's derivation pipeline is the real reader.
 */
export async function readBatchesFromL1(opts: {
  l1: PublicClient
  da: DaClient | undefined
  inbox: Address
  batcher: Address
  rollup: RollupConfig
  from: bigint
  to: bigint
}): Promise<Readback> {
  const out: Readback = { commitmentTxs: 0, calldataTxs: 0, l1Bytes: 0, daPayloads: [], channels: [], kinds: [] }
  const assemblers = new Map<Hex, { assembler: ChannelAssembler; l1Blocks: bigint[] }>()
  for (let n = opts.from; n <= opts.to; n++) {
    const block = await opts.l1.getBlock({ blockNumber: n, includeTransactions: true })
    for (const tx of block.transactions) {
      if (tx.to?.toLowerCase() !== opts.inbox.toLowerCase() || tx.from.toLowerCase() !== opts.batcher.toLowerCase())
        continue
      const data = hexToBytes(tx.input)
      out.l1Bytes += data.length
      const parsed = parseBatcherTxData(data)
      let frames: Frame[]
      if (parsed.version === 1) {
        if (!opts.da) throw new Error('commitment on L1 but no DA client to read it')
        decodeCommitment(parsed.commitment)
        const payload = await opts.da.get(parsed.commitment)
        out.daPayloads.push(payload)
        frames = parseFrames(payload)
        out.commitmentTxs++
        out.kinds.push('da')
      } else {
        frames = parsed.frames
        out.calldataTxs++
        out.kinds.push('calldata')
      }
      for (const frame of frames) {
        const entry = assemblers.get(frame.channelId) ?? {
          assembler: new ChannelAssembler(frame.channelId),
          l1Blocks: [],
        }
        assemblers.set(frame.channelId, entry)
        try {
          entry.assembler.addFrame(frame)
        } catch {
          continue // duplicate frame of a re-sent channel: derivation drops it too
        }
        entry.l1Blocks.push(n)
        if (entry.assembler.isReady) {
          const { batches, stop } = readChannel(entry.assembler.data(), { fjord: true })
          if (stop) throw stop
          out.channels.push({
            id: frame.channelId,
            batches,
            blocks: decodeBlocks(batches, opts.rollup),
            l1Blocks: entry.l1Blocks,
          })
          assemblers.delete(frame.channelId)
        }
      }
    }
  }
  return out
}

function decodeBlocks(batches: BatchData[], rollup: RollupConfig): DecodedBlock[] {
  return batches.flatMap((batch): DecodedBlock[] =>
    batch.type === 'singular'
      ? [
          {
            timestamp: batch.batch.timestamp,
            epochNumber: batch.batch.epochNumber,
            transactions: batch.batch.transactions,
          },
        ]
      : deriveSpanBatch(batch.batch, {
          genesisTime: rollup.genesis.l2Time,
          blockTime: rollup.blockTime,
          chainId: BigInt(rollup.l2ChainId),
        }).elements,
  )
}
