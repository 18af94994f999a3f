import type { BlockHeader } from '@ethereumjs/block'
import { bytesToHex } from '@ethereumjs/util'
import type { Hex } from 'viem'
import type { EngineTx } from '../engine/transactions.js'

/** op-node's eth.L2BlockRef: JSON numbers (Go uint64), see docs/op-stack-protocol.md §5.5. */
export type L2BlockRef = {
  hash: Hex
  number: number
  parentHash: Hex
  timestamp: number
  l1origin: { hash: Hex; number: number }
  sequenceNumber: number
}

const ZERO_HASH: Hex = `0x${'00'.repeat(32)}`
const ECOTONE_SELECTOR = '440a5e20'
const BEDROCK_SELECTOR = '015d8eb9'

/**
 * Reads the L1 origin and sequence number from a block's first tx, the L1-info deposit (Ecotone packed layout, or
 * Bedrock ABI layout for the first block of a chain that started before Ecotone). Genesis and blocks without one get
 * a zero origin, as op-node reports for the genesis block (its origin comes from rollup.json instead).
 */
export function l2BlockRef(header: BlockHeader, firstTx: EngineTx | undefined): L2BlockRef {
  let l1origin = { hash: ZERO_HASH, number: 0 }
  let sequenceNumber = 0
  if (firstTx?.kind === 'deposit') {
    const data = firstTx.deposit.data.slice(2)
    const word = (offset: number, bytes: number) => data.slice(offset * 2, (offset + bytes) * 2)
    if (data.startsWith(ECOTONE_SELECTOR) && data.length >= 164 * 2) {
      // selector 4 | baseFeeScalar 4 | blobBaseFeeScalar 4 | sequenceNumber 8 | timestamp 8 | number 8 | baseFee 32 |
      // blobBaseFee 32 | hash 32 | batcherHash 32
      sequenceNumber = Number.parseInt(word(12, 8), 16)
      l1origin = { number: Number.parseInt(word(28, 8), 16), hash: `0x${word(100, 32)}` }
    } else if (data.startsWith(BEDROCK_SELECTOR) && data.length >= 260 * 2) {
      // selector | number | timestamp | basefee | hash | sequenceNumber | … (32-byte ABI words)
      l1origin = { number: Number.parseInt(word(4, 32), 16), hash: `0x${word(100, 32)}` }
      sequenceNumber = Number.parseInt(word(132, 32), 16)
    }
  }
  return {
    hash: bytesToHex(header.hash()) as Hex,
    number: Number(header.number),
    parentHash: bytesToHex(header.parentHash) as Hex,
    timestamp: Number(header.timestamp),
    l1origin,
    sequenceNumber,
  }
}
