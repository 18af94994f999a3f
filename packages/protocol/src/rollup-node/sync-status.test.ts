import { describe, expect, test } from 'vitest'
import { outputResponseJson, syncStatusJson } from './sync-status.js'

const h = (b: string) => `0x${b.repeat(32)}`
const l1 = (n: number) => ({ hash: h('aa'), number: n, parentHash: h('bb'), timestamp: 1_700_000_000 + n })
const l2 = (n: number) => ({ ...l1(n), l1origin: { hash: h('cc'), number: 7 }, sequenceNumber: 2 })

/** op-node v1.x answer shape: extra keys it adds next to the ones we read. */
const opNodeStatus = {
  current_l1: l1(10),
  current_l1_finalized: l1(4),
  head_l1: l1(12),
  safe_l1: l1(8),
  finalized_l1: l1(4),
  unsafe_l2: l2(30),
  safe_l2: l2(20),
  finalized_l2: l2(10),
  pending_safe_l2: l2(20),
  cross_unsafe_l2: l2(30),
  local_safe_l2: l2(20),
}

describe('op-node rollup RPC shapes', () => {
  test('optimism_syncStatus: JSON numbers become bigint, extra keys are dropped', () => {
    const status = syncStatusJson.parse(opNodeStatus)
    expect(status.safe_l2).toEqual({
      hash: h('aa'),
      number: 20n,
      parentHash: h('bb'),
      timestamp: 1_700_000_020n,
      l1origin: { hash: h('cc'), number: 7n },
      sequenceNumber: 2n,
    })
    expect(Object.keys(status)).not.toContain('pending_safe_l2')
  })

  test('hex quantities (eth_ style) and short hashes are refused with the field path', () => {
    const hex = syncStatusJson.safeParse({ ...opNodeStatus, safe_l2: { ...l2(20), number: '0x14' } })
    expect(hex.success).toBe(false)
    expect(hex.error?.issues[0]?.path).toEqual(['safe_l2', 'number'])
    const short = outputResponseJson.safeParse({
      version: h('00'),
      outputRoot: '0x1234',
      blockRef: l2(20),
      withdrawalStorageRoot: h('11'),
      stateRoot: h('22'),
    })
    expect(short.error?.issues[0]?.path).toEqual(['outputRoot'])
  })
})
