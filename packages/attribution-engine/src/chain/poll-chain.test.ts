import pino from 'pino'
import { describe, expect, test } from 'vitest'
import type { IngestReport } from '../ingest/ingest-contributions.js'
import type { EpochSettlement } from '../settlement/settler.js'
import { ContentFetchTemporaryError, SettlementRevertedError } from './errors.js'
import { pollChainOnce } from './poll-chain.js'

const log = pino({ level: 'silent' })
const report: IngestReport = { accepted: ['0x01'], rejected: [], refusedRows: [], tokens: 12 }
const settlement = { epoch: 3, totalClaims: '10' } as EpochSettlement

describe('pollChainOnce', () => {
  test('a failing ingest does not stop the settlement, and the poll still resolves', async () => {
    const calls: string[] = []
    const r = await pollChainOnce({
      ingest: async () => {
        calls.push('ingest')
        throw new ContentFetchTemporaryError('DA server answered 503')
      },
      settle: async () => {
        calls.push('settle')
        return [settlement]
      },
      log,
    })
    expect(calls).toEqual(['ingest', 'settle'])
    expect(r.ingest).toMatchObject({ ok: false, error: { name: 'ContentFetchTemporaryError' } })
    expect(r.settle).toEqual({ ok: true, value: [settlement] })
  })

  test('a failing settlement does not stop ingestion', async () => {
    const r = await pollChainOnce({
      ingest: async () => report,
      settle: async () => {
        throw new SettlementRevertedError('settle reverted')
      },
      log,
    })
    expect(r.ingest).toEqual({ ok: true, value: report })
    expect(r.settle).toMatchObject({ ok: false, error: { name: 'SettlementRevertedError' } })
  })

  test('a step that throws a non-Error is reported as an Error', async () => {
    const r = await pollChainOnce({
      ingest: () => Promise.reject('boom'),
      settle: async () => [],
      log,
    })
    expect(r.ingest).toMatchObject({ ok: false, error: { message: 'boom' } })
    expect(r.settle).toEqual({ ok: true, value: [] })
  })
})
