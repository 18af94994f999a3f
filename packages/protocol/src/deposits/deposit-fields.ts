import { type Hex, isHex } from 'viem'
import { isUint, UINT64_MAX, UINT256_MAX } from './bytes.js'
import { DepositTxFieldError } from './errors.js'

/** mint and value are uint256 and gas a uint64 in both the portal event and the tx; data is even-length hex. */
export function assertDepositAmounts(fields: { mint: bigint; value: bigint; gas: bigint; data: Hex }): void {
  for (const [name, value, max] of [
    ['mint', fields.mint, UINT256_MAX],
    ['value', fields.value, UINT256_MAX],
    ['gas', fields.gas, UINT64_MAX],
  ] as const) {
    if (!isUint(value, max)) throw new DepositTxFieldError(`${name} is out of range`, { field: name, value })
  }
  if (!isHex(fields.data, { strict: true }) || fields.data.length % 2 !== 0) {
    throw new DepositTxFieldError('data must be even-length hex', { field: 'data' })
  }
}
