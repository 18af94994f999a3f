/**
 * Span-batch codec throughput and channel compression ratios for a realistic block mix.
 *
 *   pnpm exec tsx bench/protocol.ts [--blocks 300] [--iterations 5]
 *
 * Workload: 2 s L2 blocks, L1 origin advancing every 6 blocks (12 s L1), 20-80 txs per block from 400 senders with
 * sequential nonces, recipients from a skewed pool of 3,000: 45% ETH transfers, 35% ERC-20 `transfer` calls, 15% contract calls with 100-600 bytes of
 * calldata (half with an access list), 5% legacy EIP-155 transfers; every tx really signed (secp256k1, viem).
 * Encode = singular batches -> span batch bytes (parses every signed tx). Decode = span batch bytes -> blocks with
 * every signed tx rebuilt. MB/s are megabytes (1e6) of signed tx bytes per second; median of the iterations.
 */
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { encodeFunctionData, erc20Abi, type Hex, keccak256, numberToHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import {
  type BatchData,
  compressChannel,
  decodeBatch,
  deriveSpanBatch,
  encodeBatch,
  encodeChannelStream,
  readChannel,
  type SingularBatch,
  singularBatchesToSpanBatch,
} from '../packages/protocol/src/batches/index.js'

const { values } = parseArgs({
  options: { blocks: { type: 'string', default: '300' }, iterations: { type: 'string', default: '5' } },
})
const BLOCKS = Number(values.blocks)
const ITERATIONS = Number(values.iterations)
const CHAIN_ID = 1_337_901n
const GENESIS_TIME = 1_700_000_000n

function rng(seed: number) {
  let state = seed >>> 0
  return (n: number) => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0
    return state % n
  }
}

async function buildWorkload(): Promise<SingularBatch[]> {
  const next = rng(42)
  const senders = Array.from({ length: 400 }, (_, i) => ({
    account: privateKeyToAccount(keccak256(numberToHex(i + 1, { size: 32 }))),
    nonce: next(5000),
  }))
  const tokens = Array.from({ length: 12 }, (_, i) => keccak256(numberToHex(1000 + i)).slice(0, 42) as Hex)
  const routers = Array.from({ length: 6 }, (_, i) => keccak256(numberToHex(2000 + i)).slice(0, 42) as Hex)
  // Recipients repeat as on a real chain: a pool of 3,000 addresses drawn with a skew towards the popular ones.
  const recipients = Array.from({ length: 3000 }, (_, i) => keccak256(numberToHex(10_000 + i)).slice(0, 42) as Hex)
  const address = () => recipients[Math.floor(recipients.length * (next(1000) / 1000) ** 3)]!
  const batches: SingularBatch[] = []
  let parentHash = keccak256('0x00')
  let epochNumber = 19_000_000n
  let epochHash = keccak256(numberToHex(epochNumber))
  for (let block = 0; block < BLOCKS; block++) {
    if (block > 0 && block % 6 === 0) {
      epochNumber += 1n
      epochHash = keccak256(numberToHex(epochNumber))
    }
    const transactions: Hex[] = []
    const count = 20 + next(61)
    for (let t = 0; t < count; t++) {
      const sender = senders[next(senders.length)]!
      const nonce = sender.nonce++
      const kind = next(100)
      const fees = { maxFeePerGas: BigInt(1_000_000 + next(50_000_000)), maxPriorityFeePerGas: BigInt(next(1_000_000)) }
      const common = { chainId: Number(CHAIN_ID), nonce }
      if (kind < 45) {
        const value = BigInt(next(1e9)) * 10n ** 9n
        transactions.push(
          await sender.account.signTransaction({
            ...common,
            type: 'eip1559',
            ...fees,
            gas: 21_000n,
            to: address(),
            value,
          }),
        )
      } else if (kind < 80) {
        const data = encodeFunctionData({
          abi: erc20Abi,
          functionName: 'transfer',
          args: [address(), BigInt(next(1e9))],
        })
        const to = tokens[next(tokens.length)]!
        transactions.push(
          await sender.account.signTransaction({ ...common, type: 'eip1559', ...fees, gas: 65_000n, to, data }),
        )
      } else if (kind < 95) {
        const data =
          `0x${Array.from({ length: 100 + next(500) }, () => (next(3) ? '00' : next(256).toString(16).padStart(2, '0'))).join('')}` as Hex
        const to = routers[next(routers.length)]!
        const accessList = next(2) ? [{ address: to, storageKeys: [keccak256(numberToHex(next(100)))] }] : []
        transactions.push(
          await sender.account.signTransaction({
            ...common,
            type: 'eip1559',
            ...fees,
            gas: 250_000n,
            to,
            data,
            accessList,
          }),
        )
      } else {
        transactions.push(
          await sender.account.signTransaction({
            ...common,
            type: 'legacy',
            gasPrice: fees.maxFeePerGas,
            gas: 21_000n,
            to: address(),
            value: 10n ** 15n,
          }),
        )
      }
    }
    const timestamp = GENESIS_TIME + 2n * BigInt(block)
    batches.push({ parentHash, epochNumber, epochHash, timestamp, transactions })
    parentHash = keccak256(numberToHex(timestamp))
  }
  return batches
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

function timeIt<T>(fn: () => T): { result: T; ms: number } {
  const samples: number[] = []
  let result = fn() // warm-up
  for (let i = 0; i < ITERATIONS; i++) {
    const start = performance.now()
    result = fn()
    samples.push(performance.now() - start)
  }
  return { result, ms: median(samples) }
}

const started = performance.now()
const batches = await buildWorkload()
const signSeconds = (performance.now() - started) / 1000
const txCount = batches.reduce((n, b) => n + b.transactions.length, 0)
const txBytes = batches.reduce((n, b) => n + b.transactions.reduce((m, tx) => m + (tx.length - 2) / 2, 0), 0)
const options = { genesisTime: GENESIS_TIME, blockTime: 2n, chainId: CHAIN_ID }

const encode = timeIt(() =>
  encodeBatch({
    type: 'span',
    batch: singularBatchesToSpanBatch(batches, { ...options, firstBlockStartsEpoch: true }),
  }),
)
const spanBytes = encode.result
const decode = timeIt(() => {
  const data = decodeBatch(spanBytes)
  if (data.type !== 'span') throw new Error('expected a span batch')
  return deriveSpanBatch(data.batch, options)
})
const rebuilt = decode.result.elements.flatMap((e) => e.transactions)
if (rebuilt.join() !== batches.flatMap((b) => b.transactions).join()) throw new Error('span batch round trip differs')

const singularData: BatchData[] = batches.map((batch) => ({ type: 'singular', batch }))
const singularStream = encodeChannelStream(singularData, true)
const spanStream = encodeChannelStream([{ type: 'span', batch: decodeBatch(spanBytes).batch } as BatchData], true)
const compress = (stream: Uint8Array, compression: 'zlib' | 'brotli') =>
  timeIt(() => compressChannel(stream, { compression, fjord: true }))
const rows = [
  { name: 'singular + zlib-9 (op-batcher default)', stream: singularStream, c: compress(singularStream, 'zlib') },
  { name: 'singular + brotli-10', stream: singularStream, c: compress(singularStream, 'brotli') },
  { name: 'span + zlib-9', stream: spanStream, c: compress(spanStream, 'zlib') },
  { name: 'span + brotli-10 (Fjord)', stream: spanStream, c: compress(spanStream, 'brotli') },
]
const readSpanBrotli = timeIt(() => readChannel(rows[3]!.c.result, { fjord: true }))
if (readSpanBrotli.result.batches.length !== 1) throw new Error('channel read failed')

const mb = (bytes: number) => bytes / 1e6
const fmt = (n: number, d = 1) => n.toFixed(d)
const lines = [
  `workload: ${BLOCKS} blocks (2 s), ${txCount} signed txs, ${fmt(mb(txBytes), 2)} MB of signed tx bytes` +
    ` (signing took ${fmt(signSeconds)} s); ${ITERATIONS} timed iterations, median`,
  '',
  '| codec | time (ms) | MB/s of tx bytes |',
  '|---|---:|---:|',
  `| span batch encode (singular batches -> bytes) | ${fmt(encode.ms)} | ${fmt(mb(txBytes) / (encode.ms / 1000))} |`,
  `| span batch decode + derive (bytes -> signed txs) | ${fmt(decode.ms)} | ${fmt(mb(txBytes) / (decode.ms / 1000))} |`,
  `| read span+brotli channel (decompress + decode) | ${fmt(readSpanBrotli.ms)} | ${fmt(mb(txBytes) / (readSpanBrotli.ms / 1000))} |`,
  '',
  '| channel | RLP stream (bytes) | compressed (bytes) | compressed / stream | compressed / tx bytes | compress (ms) |',
  '|---|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${r.stream.length} | ${r.c.result.length} | ${fmt(r.c.result.length / r.stream.length, 3)} | ` +
      `${fmt(r.c.result.length / txBytes, 3)} | ${fmt(r.c.ms)} |`,
  ),
  '',
  `span + brotli-10 is ${fmt((rows[3]!.c.result.length / rows[0]!.c.result.length) * 100)}% of singular + zlib-9` +
    ` (span batch bytes uncompressed: ${spanBytes.length}, ${fmt(spanBytes.length / txBytes, 3)} of tx bytes)`,
]
console.log(lines.join('\n'))
