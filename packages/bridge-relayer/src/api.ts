import type { Route } from '@opl/service-kit'
import type { RelayerState } from './records.js'

const HASH = /^0x[0-9a-fA-F]{64}$/
const ADDRESS = /^0x[0-9a-fA-F]{40}$/

/**
 * The status API over the persisted state: `GET /v1/deposits/:l1TxHash` (every deposit of that L1 tx),
 * `GET /v1/withdrawals/:l2TxHash` (every withdrawal of that L2 tx), `GET /v1/accounts/:address` (both, by sender or
 * recipient). 400 on a malformed argument, 404 when nothing is known.
 */
export function statusRoutes(state: () => Readonly<RelayerState>): Record<string, Route> {
  const bad = (what: string) => ({ status: 400, body: { error: `not a ${what}` } })
  const found = <T>(key: string, items: T[]) =>
    items.length > 0 ? { status: 200, body: { [key]: items } } : { status: 404, body: { error: 'unknown', [key]: [] } }
  return {
    '/v1/deposits/:hash': ({ hash }) => {
      if (!HASH.test(hash!)) return bad('32-byte tx hash')
      const h = hash!.toLowerCase()
      return found(
        'deposits',
        Object.values(state().deposits).filter((d) => d.l1TxHash.toLowerCase() === h),
      )
    },
    '/v1/withdrawals/:hash': ({ hash }) => {
      if (!HASH.test(hash!)) return bad('32-byte tx hash')
      const h = hash!.toLowerCase()
      return found(
        'withdrawals',
        Object.values(state().withdrawals).filter((w) => w.l2TxHash.toLowerCase() === h),
      )
    },
    '/v1/accounts/:address': ({ address }) => {
      if (!ADDRESS.test(address!)) return bad('20-byte address')
      const a = address!.toLowerCase()
      const s = state()
      const deposits = Object.values(s.deposits).filter((d) => d.from.toLowerCase() === a || d.to.toLowerCase() === a)
      const withdrawals = Object.values(s.withdrawals).filter(
        (w) => w.from.toLowerCase() === a || w.withdrawal.sender.toLowerCase() === a,
      )
      return { status: 200, body: { address, deposits, withdrawals } }
    },
  }
}
