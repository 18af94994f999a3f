import type { Address, Hex } from 'viem'
import { decodeBitlist, encodeBitlist } from './bitlist.js'
import { fromHex, toHex } from './hex.js'
import { bigIntToMinimalBytes, bytesToBigInt } from './rlp.js'
import { decodeSignedTx, encodeSignedTx, LEGACY_TX_TYPE, type SignedTx } from './signed-tx.js'
import {
  SpanBatchChainIdMismatchError,
  SpanBatchInvalidTxTypeError,
  SpanBatchSignatureError,
  SpanBatchTruncatedError,
} from './span-batch-errors.js'
import { decodeSpanBatchTxData, encodeSpanBatchTxData, readSpanBatchTxData } from './span-batch-tx.js'
import { decodeUvarint, encodeUvarint } from './uvarint.js'

/**
 * The txs section of a span batch, column by column as on the wire:
 * `contract_creation_bits ++ y_parity_bits ++ tx_sigs ++ tx_tos ++ tx_datas ++ tx_nonces ++ tx_gases ++ protected_bits`.
 */
export type SpanBatchTxs = {
  contractCreationBits: boolean[]
  yParityBits: boolean[]
  /** r and s of each tx, 32 bytes each on the wire. */
  signatures: { r: bigint; s: bigint }[]
  /** One per non-creation tx, in tx order. */
  tos: Address[]
  /** Span tx data per tx (type byte included for typed txs), as read from the wire. */
  datas: Uint8Array[]
  /** op-node's `txTypes`: the type byte of each entry, 0 for legacy. */
  types: number[]
  nonces: bigint[]
  gases: bigint[]
  /** One per legacy tx: EIP-155 protected or not. */
  protectedBits: boolean[]
}

const UINT256_LIMIT = 1n << 256n

export function emptySpanBatchTxs(): SpanBatchTxs {
  return {
    contractCreationBits: [],
    yParityBits: [],
    signatures: [],
    tos: [],
    datas: [],
    types: [],
    nonces: [],
    gases: [],
    protectedBits: [],
  }
}

/**
 * op-node `spanBatchTxs.AddTxs`: appends signed txs (EIP-2718 bytes) to `txs`. Rejects what the format would carry
 * wrongly: a chain id other than `chainId`, or a signature that would not be reconstructed byte for byte.
 */
export function appendSpanBatchTxs(txs: SpanBatchTxs, rawTxs: readonly Hex[], chainId: bigint): void {
  for (const raw of rawTxs) appendSignedTx(txs, decodeSignedTx(fromHex(raw)), chainId)
}

function appendSignedTx(txs: SpanBatchTxs, tx: SignedTx, chainId: bigint): void {
  const index = txs.datas.length
  let yParity: bigint
  if (tx.type === 'legacy') {
    const isProtected = tx.v !== 27n && tx.v !== 28n
    if (isProtected) {
      if (tx.v < 35n) throw new SpanBatchSignatureError('legacy v is neither 27/28 nor EIP-155', { index, v: tx.v })
      const txChainId = (tx.v - 35n) / 2n
      if (txChainId !== chainId) {
        throw new SpanBatchChainIdMismatchError('protected tx signed for another chain', { index, chainId: txChainId })
      }
    }
    yParity = isProtected ? (tx.v - 35n) & 1n : tx.v - 27n
    txs.protectedBits.push(isProtected)
  } else {
    if (tx.chainId !== chainId) {
      throw new SpanBatchChainIdMismatchError('typed tx signed for another chain', { index, chainId: tx.chainId })
    }
    if (tx.yParity > 1n) throw new SpanBatchSignatureError('y-parity must be 0 or 1', { index, yParity: tx.yParity })
    yParity = tx.yParity
  }
  if (tx.r >= UINT256_LIMIT || tx.s >= UINT256_LIMIT) {
    throw new SpanBatchSignatureError('signature r or s wider than 256 bits', { index })
  }
  txs.signatures.push({ r: tx.r, s: tx.s })
  txs.contractCreationBits.push(tx.to === null)
  if (tx.to !== null) txs.tos.push(tx.to)
  txs.yParityBits.push(yParity === 1n)
  txs.nonces.push(tx.nonce)
  txs.gases.push(tx.gas)
  const data = encodeSpanBatchTxData(tx)
  txs.datas.push(data)
  txs.types.push(tx.type === 'legacy' ? LEGACY_TX_TYPE : data[0]!)
}

export function encodeSpanBatchTxs(txs: SpanBatchTxs): Uint8Array[] {
  const signatures = new Uint8Array(64 * txs.signatures.length)
  txs.signatures.forEach(({ r, s }, i) => {
    signatures.set(uint256Bytes(r), 64 * i)
    signatures.set(uint256Bytes(s), 64 * i + 32)
  })
  const tos = new Uint8Array(20 * txs.tos.length)
  txs.tos.forEach((to, i) => {
    tos.set(fromHex(to), 20 * i)
  })
  return [
    encodeBitlist(txs.contractCreationBits),
    encodeBitlist(txs.yParityBits),
    signatures,
    tos,
    ...txs.datas,
    ...txs.nonces.map((nonce) => encodeUvarint(nonce)),
    ...txs.gases.map((gas) => encodeUvarint(gas)),
    encodeBitlist(txs.protectedBits),
  ]
}

/** op-node `spanBatchTxs.decode` for `count` txs (already checked against MAX_SPAN_BATCH_ELEMENT_COUNT). */
export function decodeSpanBatchTxs(
  bytes: Uint8Array,
  offset: number,
  count: number,
): { txs: SpanBatchTxs; next: number } {
  const creation = decodeBitlist(bytes, offset, count)
  const parity = decodeBitlist(bytes, creation.next, count)
  let at = parity.next
  need(bytes, at, 64 * count, 'tx_sigs')
  const signatures = new Array<{ r: bigint; s: bigint }>(count)
  for (let i = 0; i < count; i++, at += 64) {
    signatures[i] = { r: bytesToBigInt(bytes, at, at + 32), s: bytesToBigInt(bytes, at + 32, at + 64) }
  }
  const toCount = count - creation.bits.filter(Boolean).length
  need(bytes, at, 20 * toCount, 'tx_tos')
  const tos = new Array<Address>(toCount)
  for (let i = 0; i < toCount; i++, at += 20) tos[i] = toHex(bytes.subarray(at, at + 20))
  const datas = new Array<Uint8Array>(count)
  const types = new Array<number>(count)
  let legacyCount = 0
  for (let i = 0; i < count; i++) {
    const entry = readSpanBatchTxData(bytes, at)
    datas[i] = entry.data
    types[i] = entry.type
    if (entry.type === LEGACY_TX_TYPE) legacyCount++
    at = entry.next
  }
  const nonces = new Array<bigint>(count)
  for (let i = 0; i < count; i++) ({ value: nonces[i], next: at } = decodeUvarint(bytes, at))
  const gases = new Array<bigint>(count)
  for (let i = 0; i < count; i++) ({ value: gases[i], next: at } = decodeUvarint(bytes, at))
  const protectedBits = decodeBitlist(bytes, at, legacyCount)
  return {
    txs: {
      contractCreationBits: creation.bits,
      yParityBits: parity.bits,
      signatures,
      tos,
      datas,
      types,
      nonces,
      gases,
      protectedBits: protectedBits.bits,
    },
    next: protectedBits.next,
  }
}

/**
 * op-node `recoverV` + `fullTxs`: rebuilds every signed transaction (EIP-2718 bytes) from the columns. v is
 * `27 + y` (unprotected legacy), `2 * chainId + 35 + y` (protected legacy) or y (typed).
 */
export function spanBatchTxsToRawTxs(txs: SpanBatchTxs, chainId: bigint): Hex[] {
  const count = txs.datas.length
  let legacyIndex = 0
  const vs = txs.types.map((type, i) => {
    const y = txs.yParityBits[i] ? 1n : 0n
    if (type === LEGACY_TX_TYPE) {
      const isProtected = txs.protectedBits[legacyIndex++] === true
      return isProtected ? chainId * 2n + 35n + y : 27n + y
    }
    if (type === 1 || type === 2) return y
    throw new SpanBatchInvalidTxTypeError(`invalid tx type ${type}`, { index: i, type })
  })
  const out = new Array<Hex>(count)
  let toIndex = 0
  for (let i = 0; i < count; i++) {
    const data = decodeSpanBatchTxData(txs.datas[i]!)
    let to: Address | null = null
    if (!txs.contractCreationBits[i]) {
      to = txs.tos[toIndex++] ?? null
      if (to === null) throw new SpanBatchTruncatedError('tx to not enough', { index: i })
    }
    const { r, s } = txs.signatures[i]!
    const common = { nonce: txs.nonces[i]!, gas: txs.gases[i]!, to, r, s }
    const v = vs[i]!
    const tx: SignedTx =
      data.type === 'legacy' ? { ...data, ...common, v } : { ...data, ...common, chainId, yParity: v }
    out[i] = toHex(encodeSignedTx(tx))
  }
  return out
}

function need(bytes: Uint8Array, offset: number, length: number, field: string): void {
  if (bytes.length - offset < length) throw new SpanBatchTruncatedError(`input ends inside ${field}`, { offset, field })
}

function uint256Bytes(value: bigint): Uint8Array {
  const minimal = bigIntToMinimalBytes(value)
  const out = new Uint8Array(32)
  out.set(minimal, 32 - minimal.length)
  return out
}
