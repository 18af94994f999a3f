import { allForksAtGenesis, parseRollupConfig, type RollupConfig } from '@opl/protocol'
import { type Hex, keccak256, numberToHex, toHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { L2Block } from '../l2/types.js'

export const TEST_L2_CHAIN_ID = 901
export const TEST_GENESIS_TIME = 1_700_000_000n

/** A rollup config for chain 901 with every fork at genesis, as the devnet's. */
export function testRollupConfig(batchInbox: Hex = '0xff00000000000000000000000000000000000901'): RollupConfig {
  const config = parseRollupConfig({
    genesis: {
      l1: { hash: keccak256(toHex('l1 genesis')), number: 0 },
      l2: { hash: genesisBlock().hash, number: 0 },
      l2_time: Number(TEST_GENESIS_TIME),
      system_config: {
        batcherAddr: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266',
        overhead: `0x${'0'.repeat(64)}`,
        scalar: `0x${'0'.repeat(58)}0f4240`,
        gasLimit: 30_000_000,
      },
    },
    block_time: 2,
    max_sequencer_drift: 600,
    seq_window_size: 3600,
    channel_timeout: 300,
    l1_chain_id: 31337,
    l2_chain_id: TEST_L2_CHAIN_ID,
    ...Object.fromEntries(Object.keys(allForksAtGenesis).map((fork) => [`${fork}_time`, 0])),
    batch_inbox_address: batchInbox,
    deposit_contract_address: '0x55bdfb0bfef1070c457124920546359426153833',
    l1_system_config_address: '0x3649f526889a918af0a5498706db29e81bc91e0c',
    protocol_versions_address: '0x0000000000000000000000000000000000000000',
  })
  return config
}

export function genesisBlock(): L2Block {
  return {
    number: 0n,
    hash: keccak256(toHex('l2 block 0')),
    parentHash: `0x${'0'.repeat(64)}`,
    timestamp: TEST_GENESIS_TIME,
    l1Origin: { number: 0n, hash: l1Hash(0n) },
    sequenceNumber: 0n,
    transactions: [],
  }
}

export function l1Hash(number: bigint): Hex {
  return keccak256(toHex(`l1 block ${number}`))
}

const SENDERS = Array.from({ length: 16 }, (_, i) =>
  privateKeyToAccount(numberToHex(0x1000n + BigInt(i), { size: 32 })),
)

export type ChainOptions = {
  /** Blocks after `parent`. */
  count: number
  /** txs per block, by block index (a realistic mix varies). */
  txsPerBlock: (index: number) => number
  /** L2 blocks per L1 origin (block time 2 s, L1 12 s → 6). */
  blocksPerEpoch?: number
  /** Per-tx calldata bytes, by tx index. */
  dataBytes?: (index: number) => number
}

const nonces = new Map<string, number>()

/**
 * Real signed L2 txs (EIP-1559 transfers and contract calls from 16 senders with increasing nonces) in consecutive
 * blocks after `parent`, with the L1 origin advancing every `blocksPerEpoch` blocks: what a sequencer produces.
 */
export async function makeBlocks(parent: L2Block, options: ChainOptions): Promise<L2Block[]> {
  const perEpoch = BigInt(options.blocksPerEpoch ?? 6)
  const blocks: L2Block[] = []
  let previous = parent
  let txIndex = 0
  for (let i = 0; i < options.count; i++) {
    const number = previous.number + 1n
    const originNumber = number / perEpoch
    const transactions: Hex[] = []
    for (let t = 0; t < options.txsPerBlock(i); t++, txIndex++) {
      const sender = SENDERS[txIndex % SENDERS.length]!
      const nonce = nonces.get(sender.address) ?? 0
      nonces.set(sender.address, nonce + 1)
      const bytes = options.dataBytes?.(txIndex) ?? (txIndex % 3 === 0 ? 68 : 0)
      // ERC-20-transfer-like calldata: selector, a recipient, an amount; repetitive as real traffic is.
      const data =
        bytes === 0
          ? '0x'
          : (`0xa9059cbb${'00'.repeat(12)}${SENDERS[(txIndex + 1) % 16]!.address.slice(2)}${toHex(BigInt(txIndex) * 10n ** 15n, { size: 32 }).slice(2)}`.slice(
              0,
              2 + bytes * 2,
            ) as Hex)
      transactions.push(
        await sender.signTransaction({
          type: 'eip1559',
          chainId: TEST_L2_CHAIN_ID,
          nonce,
          to: SENDERS[(txIndex + 3) % SENDERS.length]!.address,
          value: BigInt(txIndex % 5) * 10n ** 16n,
          data,
          gas: bytes === 0 ? 21_000n : 60_000n,
          maxFeePerGas: 1_000_000_000n + BigInt(txIndex % 7),
          maxPriorityFeePerGas: 1_000_000n,
        }),
      )
    }
    const block: L2Block = {
      number,
      hash: keccak256(toHex(`l2 block ${number} ${keccak256(previous.hash)}`)),
      parentHash: previous.hash,
      timestamp: previous.timestamp + 2n,
      l1Origin: { number: originNumber, hash: l1Hash(originNumber) },
      sequenceNumber: number % perEpoch,
      transactions,
    }
    blocks.push(block)
    previous = block
  }
  return blocks
}
