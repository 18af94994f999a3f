import type { RollupConfig } from '@opl/protocol'
import { CONFIG_UPDATE_TOPIC, encodeDepositLog, encodeEcotoneScalar } from '@opl/protocol'
import { type Address, encodeAbiParameters, getAddress, type Hex, numberToHex, padHex, zeroHash } from 'viem'
import type { SealedBlock } from '../engine/block-builder.js'
import type { Engine } from '../engine/engine.js'
import type { TxRejectReason } from '../engine/errors.js'
import type { EngineTx } from '../engine/transactions.js'
import type { L1Receipt } from '../l1/types.js'
import type { BlockSink, PendingLimits, TxSource } from '../sequencer-ports.js'

export const PORTAL: Address = '0x9999999999999999999999999999999999999901'
export const SYSTEM_CONFIG: Address = '0x9999999999999999999999999999999999999902'
export const BATCHER: Address = getAddress('0xba7c4e5000000000000000000000000000000001')
export const SCALARS = { baseFeeScalar: 1368, blobBaseFeeScalar: 810949 }

/** A rollup config with every fork at genesis, pointing at the given L1/L2 genesis blocks. */
export function testRollupConfig(args: {
  l1Genesis: { hash: Hex; number: bigint }
  l2Genesis: { hash: Hex; timestamp: bigint }
  gasLimit: bigint
  forkTimes?: RollupConfig['forkTimes']
}): RollupConfig {
  return {
    genesis: {
      l1: args.l1Genesis,
      l2: { hash: args.l2Genesis.hash, number: 0n },
      l2Time: args.l2Genesis.timestamp,
      systemConfig: {
        batcherAddr: BATCHER,
        overhead: zeroHash,
        scalar: encodeEcotoneScalar(SCALARS),
        gasLimit: args.gasLimit,
      },
    },
    blockTime: 2n,
    maxSequencerDrift: 600n,
    seqWindowSize: 3600n,
    channelTimeoutBedrock: 300n,
    l1ChainId: 900,
    l2ChainId: 901,
    forkTimes: args.forkTimes ?? { regolith: 0n, canyon: 0n, delta: 0n, ecotone: 0n, fjord: 0n, granite: 0n },
    batchInboxAddress: '0xff00000000000000000000000000000000000901',
    depositContractAddress: PORTAL,
    l1SystemConfigAddress: SYSTEM_CONFIG,
    protocolVersionsAddress: '0x0000000000000000000000000000000000000000',
  }
}

/** A receipt with a portal `TransactionDeposited` log, as the portal emits for an EOA's `depositTransaction`. */
export function depositReceipt(deposit: {
  from: Address
  to: Address | null
  mint: bigint
  value: bigint
  gas: bigint
  data?: Hex
}): L1Receipt {
  return { status: 'success', logs: [{ address: PORTAL, ...encodeDepositLog({ data: '0x', ...deposit }) }] }
}

/** A receipt with SystemConfig's `ConfigUpdate(0, GAS_LIMIT, abi.encode(gasLimit))`. */
export function gasLimitUpdateReceipt(gasLimit: bigint): L1Receipt {
  const inner = encodeAbiParameters([{ type: 'uint256' }], [gasLimit])
  return {
    status: 'success',
    logs: [
      {
        address: SYSTEM_CONFIG,
        topics: [CONFIG_UPDATE_TOPIC, zeroHash, padHex(numberToHex(2), { size: 32 })],
        data: encodeAbiParameters([{ type: 'bytes' }], [inner]),
      },
    ],
  }
}

/** A receipt with an unrelated log (it still counts in the block's log indices). */
export function otherLogReceipt(): L1Receipt {
  return {
    status: 'success',
    logs: [{ address: '0x1111111111111111111111111111111111111111', topics: [zeroHash], data: '0x' }],
  }
}

/** An in-memory pool: txs in the given order; records what the sequencer reported. */
export class ArrayTxSource implements TxSource {
  readonly included: EngineTx[] = []
  readonly rejected: { tx: EngineTx; reason: TxRejectReason }[] = []
  readonly limits: PendingLimits[] = []

  constructor(public txs: EngineTx[] = []) {}

  *pending(limits: PendingLimits): Iterable<EngineTx> {
    this.limits.push(limits)
    yield* [...this.txs]
  }

  markIncluded(txs: readonly EngineTx[]): void {
    this.included.push(...txs)
    this.txs = this.txs.filter((tx) => !txs.includes(tx))
  }

  markRejected(tx: EngineTx, reason: TxRejectReason): void {
    this.rejected.push({ tx, reason })
    this.txs = this.txs.filter((candidate) => candidate !== tx)
  }
}

/** A block sink that commits to the engine and records the blocks; can be told to fail. */
export class RecordingBlockSink implements BlockSink {
  readonly blocks: SealedBlock[] = []
  failNext = 0
  onCommit: ((block: SealedBlock) => void) | undefined

  constructor(private readonly engine: Engine) {}

  async commitBlock(sealed: SealedBlock): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--
      throw new Error('disk full (simulated)')
    }
    await this.engine.commit(sealed)
    this.blocks.push(sealed)
    this.onCommit?.(sealed)
  }
}
