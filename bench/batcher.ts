/**
 * Batcher compression and L1-footprint bench on blocks our node produced from a realistic L2 tx mix.
 *
 * Workload (seeded, deterministic): 2,000 EOAs with Zipf-distributed activity (a few bots and hot wallets send most
 * txs, recipients recur, 25 % are fresh addresses); 8 ERC-20 tokens (real contract, Zipf popularity, 6- and 18-decimal
 * amounts); per tx: 25 % ETH transfers (round and arbitrary amounts), 30 % ERC-20 `transfer`, 5 % `approve` to a
 * router, 22 % DEX swaps (Uniswap V2 `swapExactTokensForTokens` / V3 `exactInputSingle` calldata against 2 routers),
 * 8 % NFT mints / claims, 8 % oracle updates (a report with 3–6 random 65-byte signatures), 2 % contract deployments
 * (the token's initcode). 90 % EIP-1559 with wallet-style fee caps, 10 % legacy EIP-155; gas limits are estimates
 * padded as wallets do. Every block is built and committed by the node's Engine (real EVM execution on the OP
 * predeploys, an L1-info deposit first); deposits are not batched. Blocks vary between ~10 and ~50 txs.
 *
 * The blocks are then cut into channels by the batcher's own ChannelManager under each configuration (L1 head moves
 * every 6 L2 blocks, every frame confirmed at once) and the bytes counted: compressed/raw for the channel stream,
 * L1 calldata bytes per L2 tx as calldata frames (`00 || frame`) and as EigenDA commitments (`01 01 00 01 <45-byte
 * dev cert>` = 49 bytes per frame). A second pass measures what part of the bytes are signatures: the same txs with
 * r and s replaced by a constant compress to the cost of everything else.
 *
 * Run: pnpm exec tsx bench/batcher.ts [--blocks 300] [--seed 1]
 */
import { parseArgs } from 'node:util'
import zlib from 'node:zlib'
import {
  type Address,
  bytesToHex,
  getAddress,
  type Hex,
  hexToBytes,
  keccak256,
  numberToHex,
  padHex,
  parseTransaction,
  type Signature,
  serializeTransaction,
  type TransactionSerializable,
} from 'viem'
import { blocksToBatches } from '../packages/batcher/src/channel/block-to-batch.js'
import type { Channel } from '../packages/batcher/src/channel/channel.js'
import { ChannelManager, type ChannelManagerOptions } from '../packages/batcher/src/channel/channel-manager.js'
import type { L2Block } from '../packages/batcher/src/l2/types.js'
import { l1Hash, testRollupConfig } from '../packages/batcher/src/testing/l2-chain.js'
import { SEQUENCER_FEE_VAULT } from '../packages/node/src/engine/addresses.js'
import { Engine } from '../packages/node/src/engine/engine.js'
import { edrPredeploys } from '../packages/node/src/engine/testing/edr-reference.js'
import { edrAlloc, l1InfoDeposit } from '../packages/node/src/engine/testing/test-engine.js'
import { decodeTransaction } from '../packages/node/src/engine/transactions.js'
import { encodeChannelStream } from '../packages/protocol/src/batches/index.js'
import { compileSolidity, load, makeSenders, type Sender, signRaw } from './lib/workload.js'

const { values } = parseArgs({
  options: { blocks: { type: 'string', default: '300' }, seed: { type: 'string', default: '1' } },
})
const BLOCKS = Number(values.blocks)
const CHAIN_ID = 901
const GENESIS_TIME = 1_700_000_000n
const GAS_LIMIT = 60_000_000n
const BASE_FEE = 1_000_000n // OP mainnet runs at a base fee far below 1 gwei
const MAX_FRAME = 119_999
const COMMITMENT_TX_BYTES = 1 + 3 + 45
const loadBefore = load()

// ---- deterministic randomness -------------------------------------------------------------------------------------
let seed = Number(values.seed) >>> 0 || 1
function rand(): number {
  seed = (seed + 0x6d2b79f5) >>> 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const randInt = (n: number) => Math.floor(rand() * n)
const randomBytes = (n: number) => bytesToHex(Uint8Array.from({ length: n }, () => randInt(256)))
/** Zipf(s≈1) over 0..n-1 by inverse CDF on a precomputed table: index 0 is the most popular. */
function zipf(n: number): () => number {
  const cdf: number[] = []
  let sum = 0
  for (let i = 1; i <= n; i++) {
    sum += 1 / i
    cdf.push(sum)
  }
  return () => {
    const x = rand() * sum
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cdf[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

// ---- contracts ----------------------------------------------------------------------------------------------------
const TOKEN_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
contract Token {
  mapping(address => uint256) public balanceOf;
  mapping(address => mapping(address => uint256)) public allowance;
  uint256 public totalSupply;
  event Transfer(address indexed from, address indexed to, uint256 value);
  event Approval(address indexed owner, address indexed spender, uint256 value);
  constructor() { totalSupply = 1e30; balanceOf[msg.sender] = 1e30; emit Transfer(address(0), msg.sender, 1e30); }
  function transfer(address to, uint256 value) external returns (bool) {
    uint256 balance = balanceOf[msg.sender];
    require(balance >= value, "balance");
    unchecked { balanceOf[msg.sender] = balance - value; }
    balanceOf[to] += value;
    emit Transfer(msg.sender, to, value);
    return true;
  }
  function approve(address spender, uint256 value) external returns (bool) {
    allowance[msg.sender][spender] = value;
    emit Approval(msg.sender, spender, value);
    return true;
  }
}`
// ---- the workload -------------------------------------------------------------------------------------------------
const ACCOUNTS = 2000
const senders = makeSenders(ACCOUNTS)
const tokens: Address[] = Array.from({ length: 8 }, (_, i) =>
  getAddress(numberToHex(0x70c0000000n + BigInt(i), { size: 20 })),
)
const tokenDecimals = [6, 18, 6, 18, 18, 8, 18, 18]
const routers: Address[] = [
  '0x4a7b5da61326a6379179b40d00f57e5bbdc8a6ab',
  '0xe592427a0aece92de3edee1f18e0157c05861564',
].map((a) => getAddress(a))
const nftContracts: Address[] = Array.from({ length: 5 }, (_, i) =>
  getAddress(numberToHex(0x4f70000000n + BigInt(i), { size: 20 })),
)
const oracles: Address[] = Array.from({ length: 4 }, (_, i) =>
  getAddress(numberToHex(0x0ac1000000n + BigInt(i), { size: 20 })),
)
const pickSender = zipf(ACCOUNTS)
const pickRecipient = zipf(ACCOUNTS)
const pickToken = zipf(tokens.length)
const nonces = new Array<number>(ACCOUNTS).fill(0)
const word = (v: bigint | Address) =>
  (typeof v === 'bigint' ? v.toString(16) : v.slice(2).toLowerCase()).padStart(64, '0')

function recipient(): Address {
  return rand() < 0.25 ? getAddress(randomBytes(20)) : senders[pickRecipient()]!.address
}
/** Human amounts: mostly a few significant digits, sometimes full precision (swaps' outputs, max approvals). */
function amount(decimals: number): bigint {
  const digits = 1 + randInt(4)
  const mantissa = BigInt(1 + randInt(10 ** digits))
  const scale = 10n ** BigInt(Math.max(0, decimals - digits + randInt(3)))
  return rand() < 0.2 ? BigInt(randomBytes(decimals > 8 ? 9 : 5)) : mantissa * scale
}

let oracleSignatureBytes = 0
type Call = { to?: Address; value: bigint; data: Hex; gas: bigint }
function nextCall(deployInitcode: Hex): Call {
  const kind = rand()
  if (kind < 0.25) return { to: recipient(), value: amount(18), data: '0x', gas: 21_000n }
  if (kind < 0.55) {
    const t = pickToken()
    return {
      to: tokens[t]!,
      value: 0n,
      data: `0xa9059cbb${word(recipient())}${word(amount(tokenDecimals[t]!))}`,
      gas: 52_000n + BigInt(randInt(15_000)),
    }
  }
  if (kind < 0.6) {
    const max = rand() < 0.5
    return {
      to: tokens[pickToken()]!,
      value: 0n,
      data: `0x095ea7b3${word(routers[randInt(2)]!)}${max ? 'f'.repeat(64) : word(amount(18))}`,
      gas: 46_000n + BigInt(randInt(5_000)),
    }
  }
  if (kind < 0.82) {
    const a = tokens[pickToken()]!
    const b = tokens[pickToken()]!
    const deadline = GENESIS_TIME + 1200n + BigInt(randInt(600))
    const me = senders[pickSender()]!.address
    const data: Hex =
      rand() < 0.5
        ? // swapExactTokensForTokens(amountIn, amountOutMin, path, to, deadline)
          `0x38ed1739${word(amount(18))}${word(BigInt(randomBytes(10)))}${word(0xa0n)}${word(me)}${word(deadline)}${word(2n)}${word(a)}${word(b)}`
        : // exactInputSingle((tokenIn, tokenOut, fee, recipient, deadline, amountIn, amountOutMinimum, sqrtPriceLimitX96))
          `0x414bf389${word(a)}${word(b)}${word([500n, 3000n, 10000n][randInt(3)]!)}${word(me)}${word(deadline)}${word(amount(6))}${word(BigInt(randomBytes(9)))}${word(0n)}`
    return { to: routers[randInt(2)]!, value: 0n, data, gas: 150_000n + BigInt(randInt(100_000)) }
  }
  if (kind < 0.9) {
    const mint = rand() < 0.5
    return {
      to: nftContracts[randInt(nftContracts.length)]!,
      value: mint ? 10n ** 15n * BigInt(1 + randInt(3)) : 0n,
      data: mint ? `0xa0712d68${word(BigInt(1 + randInt(3)))}` : `0x379607f5${word(BigInt(randInt(100_000)))}`,
      gas: 90_000n + BigInt(randInt(60_000)),
    }
  }
  if (kind < 0.98) {
    // an off-chain-report oracle: report context, observations, then the signers' signatures (incompressible)
    const signatures = 3 + randInt(4)
    oracleSignatureBytes += 65 * signatures
    const observations = Array.from({ length: 4 }, () => word(BigInt(randomBytes(12)))).join('')
    const sigs = Array.from({ length: signatures }, () => randomBytes(65).slice(2).padEnd(128, '0')).join('')
    return {
      to: oracles[randInt(oracles.length)]!,
      value: 0n,
      data: `0xc9807539${word(BigInt(randomBytes(32)))}${word(4n)}${observations}${word(BigInt(signatures))}${sigs}`,
      gas: 250_000n + BigInt(randInt(100_000)),
    }
  }
  return { value: 0n, data: deployInitcode, gas: 700_000n + BigInt(randInt(100_000)) }
}

function signCall(call: Call, sender: Sender, index: number): Hex {
  const nonce = nonces[index]!
  nonces[index] = nonce + 1
  const legacy = index % 10 === 3
  const tip = [1_000n, 10_000n, 1_000_000n, 100_000_000n][index % 4]!
  const tx: TransactionSerializable = legacy
    ? { ...call, type: 'legacy', chainId: CHAIN_ID, nonce, gasPrice: BASE_FEE * 2n + BigInt(randInt(1000)) }
    : {
        ...call,
        type: 'eip1559',
        chainId: CHAIN_ID,
        nonce,
        maxPriorityFeePerGas: tip,
        maxFeePerGas: BASE_FEE * (2n + BigInt(index % 3)) + tip + BigInt(index % 5 === 0 ? randInt(100_000) : 0),
      }
  return signRaw(tx, sender.key)
}

async function produceBlocks(): Promise<{ blocks: L2Block[]; reverted: number; gas: bigint; ms: number }> {
  const { initcode, runtime } = compileSolidity(TOKEN_SOURCE, 'Token')
  const tokenStorage: Record<Hex, Hex> = {}
  const stop = { balance: 0n, nonce: 1n, code: '0x00' as Hex, storage: {} }
  const alloc = {
    ...edrAlloc(edrPredeploys('granite')),
    ...Object.fromEntries(senders.map((s) => [s.address, { balance: 10n ** 24n, nonce: 0n, storage: {} }])),
    ...Object.fromEntries(tokens.map((t) => [t, { balance: 0n, nonce: 1n, code: runtime, storage: tokenStorage }])),
    ...Object.fromEntries([...routers, ...nftContracts, ...oracles].map((a) => [a, stop])),
  }
  // Every sender holds every token (balanceOf is mapping slot 0).
  for (const s of senders) {
    const slot = keccak256(`0x${word(s.address)}${word(0n)}`)
    tokenStorage[slot] = padHex(numberToHex(10n ** 30n), { size: 32 })
  }
  const engine = await Engine.create({
    config: { chainId: BigInt(CHAIN_ID) },
    genesis: { alloc, timestamp: GENESIS_TIME, gasLimit: GAS_LIMIT, baseFeePerGas: BASE_FEE },
  })
  const started = performance.now()
  const blocks: L2Block[] = []
  let reverted = 0
  let gas = 0n
  let parentHash = bytesToHex(engine.genesis.hash())
  for (let b = 1; b <= BLOCKS; b++) {
    const count = 10 + randInt(41)
    const raws: Hex[] = []
    for (let i = 0; i < count; i++) {
      const index = pickSender()
      raws.push(signCall(nextCall(initcode), senders[index]!, index))
    }
    const timestamp = GENESIS_TIME + 2n * BigInt(b)
    const builder = await engine.startBlock({
      timestamp,
      prevRandao: padHex(numberToHex(b), { size: 32 }),
      parentBeaconBlockRoot: padHex(numberToHex(0xbeac0 + b), { size: 32 }),
      suggestedFeeRecipient: SEQUENCER_FEE_VAULT,
      gasLimit: GAS_LIMIT,
    })
    await builder.add(l1InfoDeposit(b))
    for (const raw of raws) {
      const receipt = await builder.add(decodeTransaction(hexToBytes(raw), engine.common))
      if (!receipt.status) reverted++
    }
    const sealed = await builder.seal()
    await engine.commit(sealed)
    gas += sealed.header.gasUsed
    const origin = BigInt(Math.floor(b / 6))
    blocks.push({
      number: BigInt(b),
      hash: bytesToHex(sealed.hash),
      parentHash,
      timestamp,
      l1Origin: { number: origin, hash: l1Hash(origin) },
      sequenceNumber: BigInt(b % 6),
      transactions: raws,
    })
    parentHash = bytesToHex(sealed.hash)
  }
  return { blocks, reverted, gas, ms: performance.now() - started }
}

// ---- channel configurations ---------------------------------------------------------------------------------------
const rollup = testRollupConfig()
type Setting = { name: string } & Partial<ChannelManagerOptions>
const BASE: ChannelManagerOptions = {
  batchType: 'span',
  compression: 'brotli',
  brotliQuality: 10,
  maxFrameSize: MAX_FRAME,
  rollup,
  targetNumFrames: 1,
  approxComprRatio: 0.6,
  maxChannelDuration: 10n,
  subSafetyMargin: 10n,
  channelTimeout: 50n,
  maxRlpBytes: 100_000_000,
}

/** Feeds the blocks through a ChannelManager as the batcher does, confirming every frame at once. */
function runChannels(blocks: readonly L2Block[], setting: Setting) {
  const manager = new ChannelManager({ ...BASE, ...setting })
  const channels: { channel: Channel; reason: string }[] = []
  const started = performance.now()
  const drain = (l1Head: bigint, force: boolean) => {
    for (let tx = manager.txData(l1Head, force); tx; tx = manager.txData(l1Head, force)) {
      manager.txConfirmed(tx.id, l1Head)
    }
    for (const event of manager.events.splice(0)) if (event.type === 'closed') channels.push(event)
  }
  for (const block of blocks) {
    manager.addL2Block(block)
    drain(block.l1Origin.number, false)
  }
  drain(blocks.at(-1)!.l1Origin.number, true)
  const ms = performance.now() - started
  const sum = (f: (c: Channel) => number) => channels.reduce((n, { channel }) => n + f(channel), 0)
  const raw = sum((c) => c.built.rlpBytes)
  const compressed = sum((c) => c.built.compressed.length)
  const frames = sum((c) => c.built.frames.length)
  const txs = sum((c) => c.txCount)
  const calldata = channels.reduce(
    (n, { channel }) => n + channel.built.frames.reduce((m, f) => m + 1 + 23 + f.data.length, 0),
    0,
  )
  const reasons = [...new Set(channels.map((c) => c.reason))].join('/')
  return {
    setting: setting.name,
    channels: channels.length,
    closedBy: reasons,
    txsPerChannel: Math.round(txs / channels.length),
    rawBytes: raw,
    compressed,
    ratio: Number((compressed / raw).toFixed(3)),
    frames,
    frameFill: Number((compressed / (frames * (MAX_FRAME - 23))).toFixed(2)),
    l1BytesPerTxCalldata: Number((calldata / txs).toFixed(1)),
    l1BytesPerTxDa: Number(((frames * COMMITMENT_TX_BYTES) / txs).toFixed(3)),
    buildMs: Math.round(ms),
  }
}

/** r and s replaced by a constant of the same length: what is left to compress once signatures are taken out. */
function withoutSignatures(blocks: readonly L2Block[]): L2Block[] {
  const r = `0x${'11'.repeat(32)}` as Hex
  return blocks.map((block) => ({
    ...block,
    transactions: block.transactions.map((raw) => {
      const { r: _r, s: _s, v, yParity, ...tx } = parseTransaction(raw)
      const signature = { r, s: r, yParity: yParity ?? 0, ...(tx.type === 'legacy' ? { v: v! } : {}) }
      return serializeTransaction(tx as TransactionSerializable, signature as Signature)
    }),
  }))
}

function streamOf(blocks: readonly L2Block[], batchType: 'span' | 'singular'): Uint8Array {
  return encodeChannelStream(blocksToBatches(blocks, batchType, rollup), true)
}
function brotli(stream: Uint8Array, quality: number, lgwin: number): number {
  return zlib.brotliCompressSync(stream, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
      [zlib.constants.BROTLI_PARAM_LGWIN]: lgwin,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: stream.length,
    },
  }).length
}

// ---- run ----------------------------------------------------------------------------------------------------------
const produced = await produceBlocks()
const { blocks } = produced
const txCount = blocks.reduce((n, b) => n + b.transactions.length, 0)
const txBytes = blocks.reduce((n, b) => n + b.transactions.reduce((m, t) => m + (t.length - 2) / 2, 0), 0)
console.log(
  JSON.stringify({
    blocks: blocks.length,
    l2Txs: txCount,
    reverted: produced.reverted,
    l2Gas: produced.gas.toString(),
    buildSeconds: Number((produced.ms / 1000).toFixed(1)),
    avgTxBytes: Number((txBytes / txCount).toFixed(1)),
    loadBefore,
  }),
)

const settings: Setting[] = [
  {
    name: 'op-batcher default: singular+zlib-9, 1 frame, ratio 0.6, no duration',
    batchType: 'singular',
    compression: 'zlib',
    maxChannelDuration: 0n,
  },
  { name: 'previous default: span+brotli-10, 1 frame, ratio 0.6, duration 10' },
  { name: 'span+brotli-10, 1 frame, ratio 0.45, duration 10', approxComprRatio: 0.45 },
  { name: 'new default: span+brotli-10, 1 frame, ratio 0.55, duration 10', approxComprRatio: 0.55 },
  { name: 'span+brotli-10, 1 frame, ratio 0.55, duration 1', approxComprRatio: 0.55, maxChannelDuration: 1n },
  {
    name: 'span+brotli-10, 6 frames, ratio 0.55, no duration',
    approxComprRatio: 0.55,
    targetNumFrames: 6,
    maxChannelDuration: 0n,
  },
  { name: 'span+brotli-9, 1 frame, ratio 0.55, duration 10', brotliQuality: 9, approxComprRatio: 0.55 },
  { name: 'span+brotli-11, 1 frame, ratio 0.55, duration 10', brotliQuality: 11, approxComprRatio: 0.55 },
  { name: 'span+zlib-9, 1 frame, ratio 0.55, duration 10', compression: 'zlib', approxComprRatio: 0.55 },
  { name: 'singular+brotli-10, 1 frame, ratio 0.55, duration 10', batchType: 'singular', approxComprRatio: 0.55 },
]
console.table(settings.map((s) => runChannels(blocks, s)))

// One channel over everything: window size and the signature share.
const span = streamOf(blocks, 'span')
const singular = streamOf(blocks, 'singular')
const spanNoSig = streamOf(withoutSignatures(blocks), 'span')
const sigBytes = 64 * txCount
const whole = [
  ['span brotli-10 lgwin 22', span.length, brotli(span, 10, 22)],
  ['span brotli-10 lgwin 24', span.length, brotli(span, 10, 24)],
  ['span brotli-11 lgwin 24', span.length, brotli(span, 11, 24)],
  ['span zlib-9', span.length, zlib.deflateSync(span, { level: 9 }).length],
  ['singular zlib-9', singular.length, zlib.deflateSync(singular, { level: 9 }).length],
].map(([name, raw, compressed]) => ({
  name,
  raw,
  compressed,
  ratio: Number(((compressed as number) / (raw as number)).toFixed(3)),
}))
console.log('one channel over all blocks:')
console.table(whole)
const withSig = brotli(span, 10, 22)
const noSig = brotli(spanNoSig, 10, 22)
console.log(
  JSON.stringify({
    signatureBytes: sigBytes,
    oracleReportSignatureBytes: oracleSignatureBytes,
    signatureShareOfSpanStream: Number((sigBytes / span.length).toFixed(3)),
    ratioFloorIfAllElseFree: Number((sigBytes / span.length).toFixed(3)),
    compressedWithSignatures: withSig,
    compressedSignaturesConstant: noSig,
    signatureCostCompressed: withSig - noSig,
    nonSignatureRatio: Number((noSig / (span.length - sigBytes)).toFixed(3)),
    // Oracle-report signatures are random too and cost their size compressed as the tx signatures do (see above).
    nonSignatureRatioAllSignaturesOut: Number(
      ((noSig - oracleSignatureBytes) / (span.length - sigBytes - oracleSignatureBytes)).toFixed(3),
    ),
    allSignatureShareOfSpanStream: Number(((sigBytes + oracleSignatureBytes) / span.length).toFixed(3)),
    signatureShareOfCompressed: Number(((withSig - noSig) / withSig).toFixed(3)),
  }),
)
