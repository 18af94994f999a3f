import { decodeErrorResult, type Hex } from 'viem'

/** Solidity panic codes as geth's abi.UnpackRevert words them. */
const PANIC_REASONS: Record<string, string> = {
  '0': 'generic panic',
  '1': 'assert(false)',
  '17': 'arithmetic underflow or overflow',
  '18': 'division or modulo by zero',
  '33': 'enum overflow',
  '34': 'invalid encoded storage byte array accessed',
  '49': 'out-of-bounds array access; popping on an empty array',
  '50': 'out-of-bounds access of an array or bytesN',
  '65': 'out of memory',
  '81': 'uninitialized function',
}

/** geth's abi.UnpackRevert: Error(string) gives the string, Panic(uint256) its wording; other data gives none. */
export function revertReason(data: Hex): string | undefined {
  if (data.length < 10) return undefined
  try {
    const decoded = decodeErrorResult({ data })
    if (decoded.errorName === 'Error') return String(decoded.args?.[0])
    if (decoded.errorName === 'Panic') {
      const code = decoded.args?.[0] as bigint
      return PANIC_REASONS[code.toString()] ?? `unknown panic code: 0x${code.toString(16)}`
    }
  } catch {
    // custom error: geth reports the output only
  }
  return undefined
}
