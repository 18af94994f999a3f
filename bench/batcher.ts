/**
 * Batcher compression and L1-footprint bench: builds channels from a realistic block mix with the batcher's own
 * Channel (protocol package codecs) and reports compressed/raw for span+brotli vs singular+zlib, and L1 calldata
 * bytes per L2 tx for EigenDA commitments vs calldata frames. No chain needed: the byte counts are what the batcher
 * sends (a commitment tx is `01 01 00 01 <45-byte dev cert>` = 49 bytes; a calldata tx is `00 || frame`).
 * Run: pnpm exec tsx bench/batcher.ts [blocks=100] [txsPerBatch=500]
 */
import { Channel } from '../packages/batcher/src/channel/channel.js'
import { genesisBlock, makeBlocks, testRollupConfig } from '../packages/batcher/src/testing/l2-chain.js'

const blockCount = Number(process.argv[2] ?? 100)
const txsPerBatch = Number(process.argv[3] ?? 500)
const rollup = testRollupConfig()
const COMMITMENT_TX_BYTES = 1 + 3 + 45
const MAX_FRAME = 119_999

// Mix: busy and quiet blocks; 1/3 ERC-20-like calls (68-byte calldata), 1/3 plain transfers, 1/3 bigger calls.
const perBlock = Math.max(1, Math.round(txsPerBatch / blockCount))
const blocks = await makeBlocks(genesisBlock(), {
  count: blockCount,
  txsPerBlock: (i) => (i % 10 === 0 ? 0 : perBlock + (i % 3) - 1),
  dataBytes: (t) => [68, 0, 196][t % 3]!,
})
const txs = blocks.reduce((n, b) => n + b.transactions.length, 0)

function measure(batchType: 'span' | 'singular', compression: 'brotli' | 'zlib') {
  const started = performance.now()
  const channel = new Channel(Channel.randomId(), blocks, 0n, {
    batchType,
    compression,
    maxFrameSize: MAX_FRAME,
    rollup,
  })
  const ms = performance.now() - started
  const frames = channel.built.frames
  const calldataBytes = frames.reduce((n, f) => n + 1 + 23 + f.data.length, 0)
  return {
    setting: `${batchType}+${compression}`,
    rawBytes: channel.built.rlpBytes,
    compressedBytes: channel.built.compressed.length,
    ratio: Number((channel.built.compressed.length / channel.built.rlpBytes).toFixed(3)),
    frames: frames.length,
    l1BytesPerTxCalldata: Number((calldataBytes / txs).toFixed(2)),
    l1BytesPerTxDa: Number(((frames.length * COMMITMENT_TX_BYTES) / txs).toFixed(3)),
    buildMs: Math.round(ms),
  }
}

const rows = [
  measure('span', 'brotli'),
  measure('singular', 'zlib'),
  measure('span', 'zlib'),
  measure('singular', 'brotli'),
]
console.log(JSON.stringify({ blocks: blockCount, l2Txs: txs }))
console.table(rows)
