import { decode as decodeRlp, encode as encodeRlp } from '@ethereumjs/rlp'
import {
  type Address,
  bytesToHex,
  concatBytes,
  getAddress,
  type Hex,
  hexToBytes,
  isAddress,
  isHex,
  keccak256,
} from 'viem'
import { type BytesLike, readUint, toBytesOrUndefined, uintToMinimalBytes } from './bytes.js'
import { assertDepositAmounts } from './deposit-fields.js'
import { DepositTxFieldError, DepositTxRlpError, DepositTxTypeError } from './errors.js'

/** EIP-2718 type byte of deposit transactions: the highest type below 0x7F. */
export const DEPOSIT_TX_TYPE = 0x7e

/** An OP Stack deposit transaction (op-geth `types.DepositTx`); `to` is null for contract creation. */
export type DepositTransaction = {
  sourceHash: Hex
  from: Address
  to: Address | null
  mint: bigint
  value: bigint
  gas: bigint
  isSystemTx: boolean
  data: Hex
}

const FIELD_COUNT = 8

/**
 * `0x7E || rlp([sourceHash, from, to, mint, value, gas, isSystemTx, data])`, op-geth's field order. A zero mint
 * encodes as the empty string (op-geth keeps it nil), creation as an empty `to`.
 */
export function encodeDepositTransaction(tx: DepositTransaction): Hex {
  return bytesToHex(encodeDepositTransactionBytes(tx))
}

/** The deposit tx hash: keccak256 of the full typed encoding (there is no signature). */
export function hashDepositTransaction(tx: DepositTransaction): Hex {
  return keccak256(encodeDepositTransactionBytes(tx))
}

export function encodeDepositTransactionBytes(tx: DepositTransaction): Uint8Array {
  assertEncodable(tx)
  const body = encodeRlp([
    hexToBytes(tx.sourceHash),
    hexToBytes(tx.from),
    tx.to === null ? new Uint8Array(0) : hexToBytes(tx.to),
    uintToMinimalBytes(tx.mint),
    uintToMinimalBytes(tx.value),
    uintToMinimalBytes(tx.gas),
    tx.isSystemTx ? Uint8Array.of(1) : new Uint8Array(0),
    hexToBytes(tx.data),
  ])
  return concatBytes([Uint8Array.of(DEPOSIT_TX_TYPE), body])
}

/**
 * Decodes `0x7E || rlp(...)` with go-ethereum's strictness: canonical RLP, exactly 8 string fields, no trailing
 * bytes, fixed-size hashes and addresses, canonical integers and a boolean that is 0x80 or 0x01.
 */
export function decodeDepositTransaction(serialized: BytesLike): DepositTransaction {
  const bytes = toBytesOrUndefined(serialized)
  if (bytes === undefined) throw new DepositTxRlpError('deposit tx is not hex or bytes', { serialized })
  if (bytes[0] !== DEPOSIT_TX_TYPE) {
    throw new DepositTxTypeError('not a deposit tx: type byte is not 0x7e', { type: bytes[0] ?? null })
  }
  const fields = decodeFields(bytes.subarray(1))
  const [sourceHash, from, to, mint, value, gas, isSystemTx, data] = fields as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ]
  return {
    sourceHash: fixedBytes(sourceHash, 32, 'sourceHash'),
    from: getAddress(fixedBytes(from, 20, 'from')),
    // op-geth's `to` is `*common.Address` with `rlp:"nil"`: the empty string means creation, anything else is 20 bytes.
    to: to.length === 0 ? null : getAddress(fixedBytes(to, 20, 'to')),
    mint: canonicalUint(mint, 32, 'mint'),
    value: canonicalUint(value, 32, 'value'),
    gas: canonicalUint(gas, 8, 'gas'),
    isSystemTx: canonicalBool(isSystemTx),
    data: bytesToHex(data),
  }
}

function decodeFields(body: Uint8Array): Uint8Array[] {
  let decoded: unknown
  try {
    decoded = decodeRlp(body)
  } catch (error) {
    throw new DepositTxRlpError('deposit tx body is not valid RLP', { reason: (error as Error).message })
  }
  if (!Array.isArray(decoded)) throw new DepositTxRlpError('deposit tx body is not an RLP list', {})
  if (decoded.length !== FIELD_COUNT) {
    throw new DepositTxRlpError('deposit tx must have exactly 8 fields', { fieldCount: decoded.length })
  }
  const index = decoded.findIndex((field) => !(field instanceof Uint8Array))
  if (index !== -1) throw new DepositTxRlpError('deposit tx field is a list, not a byte string', { fieldIndex: index })
  return decoded as Uint8Array[]
}

function fixedBytes(field: Uint8Array, length: number, name: string): Hex {
  if (field.length !== length) {
    throw new DepositTxFieldError(`${name} must be ${length} bytes`, { field: name, length: field.length })
  }
  return bytesToHex(field)
}

/**
 * go-ethereum rejects integers with leading zero bytes. It also accepts *big.Int of any size; we cap mint and value at
 * 256 bits, the width they have in the portal's event and in the EVM, so no wider value can come from derivation.
 */
function canonicalUint(field: Uint8Array, maxBytes: number, name: string): bigint {
  if (field[0] === 0) throw new DepositTxFieldError(`${name} has leading zero bytes`, { field: name })
  if (field.length > maxBytes) {
    throw new DepositTxFieldError(`${name} exceeds ${maxBytes * 8} bits`, { field: name, length: field.length })
  }
  return readUint(field, 0, field.length)
}

function canonicalBool(field: Uint8Array): boolean {
  if (field.length === 0) return false
  if (field.length === 1 && field[0] === 1) return true
  throw new DepositTxFieldError('isSystemTx must be 0x80 or 0x01', { field: 'isSystemTx', value: bytesToHex(field) })
}

function assertEncodable(tx: DepositTransaction): void {
  if (!isHex(tx.sourceHash, { strict: true }) || tx.sourceHash.length !== 66) {
    throw new DepositTxFieldError('sourceHash must be 32 bytes of hex', { field: 'sourceHash', value: tx.sourceHash })
  }
  if (!isAddress(tx.from, { strict: false })) {
    throw new DepositTxFieldError('from is not an address', { field: 'from', value: tx.from })
  }
  if (tx.to !== null && !isAddress(tx.to, { strict: false })) {
    throw new DepositTxFieldError('to is not an address', { field: 'to', value: tx.to })
  }
  if (typeof tx.isSystemTx !== 'boolean') {
    throw new DepositTxFieldError('isSystemTx must be a boolean', { field: 'isSystemTx', value: tx.isSystemTx })
  }
  assertDepositAmounts(tx)
}
